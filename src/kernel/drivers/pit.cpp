// PIT channel 0 in rate-generator mode, read through its latch command, or
// raising IRQ 0 at the end of every period as the tick.
#include "drivers/pit.hpp"

#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/interrupts.hpp"
#include "arch/x86_64/io.hpp"
#include "drivers/interrupt_routing.hpp"

namespace kernel::drivers {

namespace {

constexpr uint16_t kChannel0 = 0x40;
constexpr uint16_t kModeCommand = 0x43;
// Channel 0, low then high byte, mode 2 (rate generator), binary.
constexpr uint8_t kChannel0RateGenerator = 0b00'11'010'0;
constexpr uint8_t kChannel0Latch = 0b00'00'000'0;
constexpr uint8_t kTimerIrq = 0;
constexpr uint32_t kMaxReload = 65536;  // written as 0

// The tick's schedule on the TSC (see on_tick).
constinit uint64_t g_period_tsc = 0;
constinit uint64_t g_start_tsc = 0;
constinit uint64_t g_counted = 0;

uint16_t read_channel0() {
    arch::out8(kModeCommand, kChannel0Latch);
    const uint8_t low = arch::in8(kChannel0);
    const uint8_t high = arch::in8(kChannel0);
    return static_cast<uint16_t>(low | high << 8);
}

// Starts channel 0 counting down from reload, again and again (raising its
// output, IRQ 0, at the end of each period); PitNotCounting when the counter
// does not move (no PIT: its ports read 0xFF).
ErrorOr<void> start_channel0(uint32_t reload) {
    arch::out8(kModeCommand, kChannel0RateGenerator);
    arch::out8(kChannel0, static_cast<uint8_t>(reload));
    arch::out8(kChannel0, static_cast<uint8_t>(reload >> 8));
    const uint16_t first = read_channel0();
    for (int i = 0; i < 1000; ++i)
        if (read_channel0() != first) return {};
    return Error::PitNotCounting;
}

// The PIT's interrupts mark the periods, the TSC counts them: an interrupt
// the host did not deliver in time (QEMU on a busy host) is counted all the
// same by the next one, so the uptime keeps to the TSC, the clock sleep_ms
// waits on. The schedule starts half a period early, so that an interrupt a
// little early or late against it still counts one period.
void on_tick(arch::InterruptFrame&, void*) {
    const uint64_t due = (arch::read_tsc() - g_start_tsc) / g_period_tsc;
    const uint64_t passed = due > g_counted ? due - g_counted : 0;
    g_counted += passed;
    count_ticks(passed);
}

}  // namespace

ErrorOr<void> PitClock::init() {
    TRY(start_channel0(kMaxReload));
    (void)now();
    return {};
}

uint64_t PitClock::now() {
    // The counter runs down; its complement runs up.
    return m_counter.update(static_cast<uint16_t>(~read_channel0()));
}

ErrorOr<void> start_pit_tick(const TimerCalibration& calibration, uint32_t hz) {
    if (hz == 0 || calibration.tsc_hz < hz) return Error::PitTickNotStarted;
    const uint32_t reload = static_cast<uint32_t>((PitClock::kFrequencyHz + hz / 2) / hz);
    if (reload < 2 || reload > kMaxReload) return Error::PitTickNotStarted;
    const uint8_t vector = isa_irq_vector(kTimerIrq);
    if (arch::register_interrupt_handler(vector, on_tick, nullptr).is_error()) return Error::PitTickNotStarted;
    const uint64_t flags = arch::save_and_disable_interrupts();
    g_period_tsc = calibration.tsc_hz / hz;
    g_start_tsc = arch::read_tsc() - g_period_tsc / 2;
    ErrorOr<void> started = start_channel0(reload);
    if (!started.is_error()) started = route_isa_irq(kTimerIrq, vector);
    if (!started.is_error()) start_ticks(calibration, hz);
    arch::restore_interrupts(flags);
    if (started.is_error()) arch::unregister_interrupt_handler(vector, on_tick);
    return started;
}

}  // namespace kernel::drivers
