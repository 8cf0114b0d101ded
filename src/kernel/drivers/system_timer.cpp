// Reference selection and calibration of the tick.
#include "drivers/system_timer.hpp"

#include "drivers/hpet.hpp"
#include "drivers/pit.hpp"
#include "drivers/pm_timer.hpp"

namespace kernel::drivers {

namespace {

// Long enough that a few microseconds of reading jitter stay far below 1%.
constexpr uint32_t kCalibrationWindowUs = 20'000;

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

}  // namespace

ErrorOr<void> init_system_timer(const acpi::Summary* acpi) {
    ReferenceClock* reference = TRY(find_reference(acpi));
    const TimerCalibration calibration = TRY(calibrate_lapic_timer(*reference, kCalibrationWindowUs));
    TRY(start_lapic_tick(calibration, kTickHz));
    // TscDelay reads the rate start_lapic_tick() kept.
    g_calibrated = calibration.tsc_hz != 0;
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
