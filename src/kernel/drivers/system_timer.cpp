// Reference selection and calibration of the tick.
#include "drivers/system_timer.hpp"

#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/interrupts.hpp"
#include "arch/x86_64/local_apic.hpp"
#include "drivers/hpet.hpp"
#include "drivers/pit.hpp"
#include "drivers/pm_timer.hpp"
#include "lib/counter_extender.hpp"

namespace kernel::drivers {

namespace {

// Long enough that a few microseconds of reading jitter stay far below 1%.
constexpr uint32_t kCalibrationWindowUs = 20'000;
constexpr uint64_t kMicrosecondsPerSecond = 1'000'000;
// A reference that stops moving is given up on after this many reads: a
// 20 ms window takes far fewer, even on the fastest clock to read (HPET).
constexpr uint32_t kMaxReferenceReads = 4'000'000;

constinit HpetClock g_hpet;
constinit PmTimerClock g_pm_timer;
constinit PitClock g_pit;
constinit TscDelay g_tsc_delay;
constinit PortDelay g_port_delay;
constinit bool g_calibrated = false;
constinit ReferenceClock* g_reference = nullptr;

// The first reference, in order of preference, that is present and counts;
// why another was passed over does not matter once one is found.
ErrorOr<ReferenceClock*> find_reference(const acpi::Summary* acpi) {
    if (acpi != nullptr && !acpi->hpet.is_error() && !g_hpet.init(acpi->hpet.value()).is_error()) return &g_hpet;
    if (acpi != nullptr && !acpi->fadt.is_error() && !g_pm_timer.init(acpi->fadt->pm_timer).is_error())
        return &g_pm_timer;
    if (!g_pit.init().is_error()) return &g_pit;
    return Error::TimerNoReferenceClock;
}

// Counts the TSC while `reference` advances window_us: what the PIT's tick
// keeps to and sleep_ms waits on, where no local APIC timer is calibrated.
ErrorOr<TimerCalibration> measure_tsc(ReferenceClock& reference, uint32_t window_us) {
    const uint64_t window = reference.frequency_hz() * window_us / kMicrosecondsPerSecond;
    const uint64_t flags = arch::save_and_disable_interrupts();
    const uint64_t start = reference.now();
    const uint64_t tsc_start = arch::read_tsc();
    uint64_t end = start;
    for (uint32_t reads = 0; end - start < window && reads < kMaxReferenceReads; ++reads) end = reference.now();
    const uint64_t tsc_end = arch::read_tsc();
    arch::restore_interrupts(flags);
    if (end - start < window) return Error::TscNotMeasured;
    TimerCalibration calibration;
    calibration.tsc_hz = lib::scale_rate(tsc_end - tsc_start, reference.frequency_hz(), end - start);
    calibration.reference = reference.name();
    if (calibration.tsc_hz == 0) return Error::TscNotMeasured;
    return calibration;
}

// No local APIC (or none the kernel could turn on): the PIT ticks, through
// whichever controller delivers ISA IRQs (the 8259s, on such PCs).
ErrorOr<void> start_tick_without_local_apic(ReferenceClock*& reference) {
    const TimerCalibration calibration = TRY(measure_tsc(*reference, kCalibrationWindowUs));
    // Channel 0 stops counting freely once it ticks, even if the tick then
    // fails to start.
    if (reference == &g_pit) reference = nullptr;
    return start_pit_tick(calibration, kTickHz);
}

}  // namespace

ErrorOr<void> init_system_timer(const acpi::Summary* acpi) {
    ReferenceClock* reference = TRY(find_reference(acpi));
    if (arch::local_apic_mode() == arch::LocalApicMode::None) {
        TRY(start_tick_without_local_apic(reference));
    } else {
        const TimerCalibration calibration = TRY(calibrate_lapic_timer(*reference, kCalibrationWindowUs));
        TRY(start_lapic_tick(calibration, kTickHz));
    }
    // TscDelay reads the rate the tick kept.
    g_calibrated = timer_calibration().tsc_hz != 0;
    g_reference = reference;
    return {};
}

ReferenceClock* reference_clock() {
    return g_reference;
}

lib::Delay& system_delay() {
    if (g_calibrated) return g_tsc_delay;
    return g_port_delay;
}

}  // namespace kernel::drivers
