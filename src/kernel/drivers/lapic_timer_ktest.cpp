// In-kernel tests of the tick: it runs, and at the rate the calibration says.
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/interrupts.hpp"
#include "drivers/lapic_timer.hpp"
#include "lib/log.hpp"
#include "testing/ktest.hpp"

namespace {

using namespace kernel;

// Sleeps until the tick count has moved `count` times; false if it stalls
// (a second of TSC time per tick at most).
bool wait_ticks(uint64_t count) {
    const uint64_t target = drivers::ticks() + count;
    const uint64_t limit = drivers::timer_calibration().tsc_hz * count;
    const uint64_t start = arch::read_tsc();
    while (drivers::ticks() < target)
        if (arch::read_tsc() - start > limit) return false;
    return true;
}

}  // namespace

KTEST(timer_ticks_at_the_calibrated_rate) {
    KEXPECT(drivers::tick_hz() != 0);
    KEXPECT(drivers::timer_calibration().tsc_hz != 0);
    constexpr uint64_t kTicks = 20;
    KEXPECT(wait_ticks(1));  // start on a tick's edge, so the run spans whole periods
    const uint64_t start = arch::read_tsc();
    KEXPECT(wait_ticks(kTicks));
    const uint64_t elapsed = arch::read_tsc() - start;
    const uint64_t expected = drivers::timer_calibration().tsc_hz * kTicks / drivers::tick_hz();
    log::printf("# timer: %llu ticks in %llu TSC cycles, calibration says %llu\n", (unsigned long long)kTicks,
                (unsigned long long)elapsed, (unsigned long long)expected);
    KEXPECT(elapsed > expected - expected / 10);
    KEXPECT(elapsed < expected + expected / 10);
}

KTEST(uptime_follows_the_ticks) {
    const uint64_t before = drivers::uptime_ms();
    KEXPECT(wait_ticks(5));
    const uint64_t after = drivers::uptime_ms();
    KEXPECT(after - before >= 5 * 1000 / drivers::tick_hz());
}
