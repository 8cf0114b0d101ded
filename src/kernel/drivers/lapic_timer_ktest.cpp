// In-kernel tests of the tick: it runs, and at the rate an independent clock measures.
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/interrupts.hpp"
#include "drivers/lapic_timer.hpp"
#include "drivers/system_timer.hpp"
#include "lib/log.hpp"
#include "testing/ktest.hpp"

namespace {

using namespace kernel;

// Waits until the tick count has moved `count` times, reading `reference`
// all along (the PIT must be read at least once per 55 ms wrap); false if
// the ticks stall (a second of reference time per tick at most).
bool wait_ticks(uint64_t count, drivers::ReferenceClock& reference) {
    const uint64_t target = drivers::ticks() + count;
    const uint64_t limit = reference.frequency_hz() * count;
    const uint64_t start = reference.now();
    while (drivers::ticks() < target)
        if (reference.now() - start > limit) return false;
    return true;
}

}  // namespace

// Against the reference clock the tick was calibrated with, not the TSC: the
// tick's own schedule is kept on the TSC, so only an independent clock shows
// whether the calibration was right.
KTEST(timer_ticks_at_the_rate_the_reference_clock_measures) {
    KEXPECT(drivers::tick_hz() != 0);
    drivers::ReferenceClock* reference = drivers::reference_clock();
    KEXPECT(reference != nullptr);
    if (reference == nullptr) return;
    constexpr uint64_t kTicks = 20;
    KEXPECT(wait_ticks(1, *reference));  // start on a tick's edge, so the run spans whole periods
    const uint64_t start = reference->now();
    const uint64_t start_tsc = arch::read_tsc();
    KEXPECT(wait_ticks(kTicks, *reference));
    const uint64_t elapsed = reference->now() - start;
    const uint64_t elapsed_tsc = arch::read_tsc() - start_tsc;
    const uint64_t expected = reference->frequency_hz() * kTicks / drivers::tick_hz();
    log::printf("# timer: %llu ticks in %llu %s counts (expected %llu) and %llu TSC cycles\n",
                (unsigned long long)kTicks, (unsigned long long)elapsed, reference->name(),
                (unsigned long long)expected, (unsigned long long)elapsed_tsc);
    KEXPECT(elapsed > expected - expected / 10);
    KEXPECT(elapsed < expected + expected / 10);
}

KTEST(uptime_follows_the_ticks) {
    drivers::ReferenceClock* reference = drivers::reference_clock();
    KEXPECT(reference != nullptr);
    if (reference == nullptr) return;
    const uint64_t before = drivers::uptime_ms();
    KEXPECT(wait_ticks(5, *reference));
    const uint64_t after = drivers::uptime_ms();
    KEXPECT(after - before >= 5 * 1000 / drivers::tick_hz());
}
