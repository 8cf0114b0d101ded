// Local APIC timer calibration and the periodic tick.
#include "drivers/lapic_timer.hpp"

#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/interrupts.hpp"
#include "arch/x86_64/local_apic.hpp"
#include "lib/counter_extender.hpp"

namespace kernel::drivers {

namespace {

using arch::ApicRegister;

constexpr uint32_t kDivideBy16 = 0b0011;
constexpr uint32_t kMaxCount = 0xFFFF'FFFF;
// The APIC timer is the watchdog of the calibration loop: a reference that
// stops moving is given up on once the APIC timer has run half its range.
constexpr uint32_t kGiveUpCount = kMaxCount / 2;
constexpr uint64_t kMicrosecondsPerSecond = 1'000'000;

// The tick keeps to a grid on the TSC: each interrupt arms the APIC timer
// (one-shot) for the next point of the grid, so a late interrupt is followed
// by a shorter wait, and points missed altogether (a virtual CPU the host
// did not run for a while) are counted all the same. A periodic APIC timer
// would lose them: under QEMU on a busy host its periods stretch.
constinit uint64_t g_period_tsc = 0;
constinit uint64_t g_next_tsc = 0;

void arm_until(uint64_t deadline_tsc, uint64_t now_tsc) {
    const uint64_t wait = deadline_tsc > now_tsc ? deadline_tsc - now_tsc : 0;
    const TimerCalibration& calibration = timer_calibration();
    const uint64_t count = lib::scale_rate(wait, calibration.lapic_hz, calibration.tsc_hz);
    arch::write_local_apic(ApicRegister::TimerInitialCount, count == 0          ? 1
                                                            : count > kMaxCount ? kMaxCount
                                                                                : static_cast<uint32_t>(count));
}

void on_tick(arch::InterruptFrame&, void*) {
    const uint64_t now = arch::read_tsc();
    uint64_t passed = 0;
    do {
        ++passed;
        g_next_tsc += g_period_tsc;
    } while (g_next_tsc <= now);
    arm_until(g_next_tsc, now);
    count_ticks(passed);
}

void on_periodic_tick(arch::InterruptFrame&, void*) {
    count_ticks(1);
}

}  // namespace

ErrorOr<TimerCalibration> calibrate_lapic_timer(ReferenceClock& reference, uint32_t window_us) {
    if (arch::local_apic_mode() == arch::LocalApicMode::None) return Error::TimerNotCalibrated;
    const uint64_t window = reference.frequency_hz() * window_us / kMicrosecondsPerSecond;
    arch::write_local_apic(ApicRegister::LvtTimer, arch::kLvtMasked);
    arch::write_local_apic(ApicRegister::TimerDivide, kDivideBy16);
    arch::write_local_apic(ApicRegister::TimerInitialCount, kMaxCount);

    const uint64_t flags = arch::save_and_disable_interrupts();
    const uint64_t start = reference.now();
    const uint64_t tsc_start = arch::read_tsc();
    const uint32_t count_start = arch::read_local_apic(ApicRegister::TimerCurrentCount);
    uint64_t end = start;
    uint32_t count_end = count_start;
    while (end - start < window && count_start - count_end < kGiveUpCount) {
        end = reference.now();
        count_end = arch::read_local_apic(ApicRegister::TimerCurrentCount);
    }
    const uint64_t tsc_end = arch::read_tsc();
    arch::restore_interrupts(flags);
    arch::write_local_apic(ApicRegister::TimerInitialCount, 0);

    if (end - start < window || count_start == count_end) return Error::TimerNotCalibrated;
    TimerCalibration calibration;
    calibration.lapic_hz = lib::scale_rate(count_start - count_end, reference.frequency_hz(), end - start);
    calibration.tsc_hz = lib::scale_rate(tsc_end - tsc_start, reference.frequency_hz(), end - start);
    calibration.reference = reference.name();
    if (calibration.lapic_hz == 0) return Error::TimerNotCalibrated;
    return calibration;
}

ErrorOr<void> start_lapic_tick(const TimerCalibration& calibration, uint32_t hz) {
    const uint64_t count = calibration.lapic_hz / hz;
    if (hz == 0 || count == 0 || count > kMaxCount) return Error::TimerNotStarted;
    // Without a TSC rate there is no grid to keep to: the APIC's own periods.
    const bool on_grid = calibration.tsc_hz >= hz;
    if (arch::register_interrupt_handler(arch::kLocalApicTimerVector, on_grid ? on_tick : on_periodic_tick, nullptr)
            .is_error())
        return Error::TimerNotStarted;
    start_ticks(calibration, hz);
    arch::write_local_apic(ApicRegister::TimerDivide, kDivideBy16);
    const uint64_t flags = arch::save_and_disable_interrupts();
    if (on_grid) {
        g_period_tsc = calibration.tsc_hz / hz;
        const uint64_t now = arch::read_tsc();
        g_next_tsc = now + g_period_tsc;
        arch::write_local_apic(ApicRegister::LvtTimer, arch::kLocalApicTimerVector);
        arm_until(g_next_tsc, now);
    } else {
        arch::write_local_apic(ApicRegister::LvtTimer, arch::kLvtTimerPeriodic | arch::kLocalApicTimerVector);
        arch::write_local_apic(ApicRegister::TimerInitialCount, static_cast<uint32_t>(count));
    }
    arch::restore_interrupts(flags);
    return {};
}

}  // namespace kernel::drivers
