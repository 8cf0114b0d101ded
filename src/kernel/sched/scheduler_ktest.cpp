// In-kernel tests of the scheduler's timing: two CPU-bound threads share the
// CPU evenly, and sleep_ms wakes its caller within one tick of the time asked.
#include "arch/x86_64/cpu.hpp"
#include "drivers/lapic_timer.hpp"
#include "lib/log.hpp"
#include "sched/scheduler.hpp"
#include "sched/thread.hpp"
#include "testing/ktest.hpp"

using namespace kernel;
using namespace kernel::sched;

namespace {

// The rate the scheduler's clock was calibrated at (arch::tsc_hz() is 0 on
// CPUs that do not state it, QEMU's among them).
uint64_t tsc_per_ms() {
    return drivers::timer_calibration().tsc_hz / 1000;
}

constinit volatile bool g_stop_spinning = false;

int spin_until_stopped(void*) {
    while (!g_stop_spinning) asm volatile("pause");
    return 0;
}

// The CPU time two spinners got while the caller slept a second; false if
// they could not be made.
bool share_one_second(uint64_t& first_tsc, uint64_t& second_tsc) {
    g_stop_spinning = false;
    const ErrorOr<Thread*> first = create_thread("ktest-spin-1", spin_until_stopped, nullptr);
    const ErrorOr<Thread*> second = create_thread("ktest-spin-2", spin_until_stopped, nullptr);
    if (!first.is_error() && !second.is_error()) sleep_ms(1000);
    g_stop_spinning = true;
    if (first.is_error() || second.is_error()) {
        if (!first.is_error()) join(*first);
        if (!second.is_error()) join(*second);
        return false;
    }
    // An Exited thread has been switched away from for the last time, so its
    // CPU time is final, and its record stays until it is joined.
    while ((*first)->state != ThreadState::Exited || (*second)->state != ThreadState::Exited) yield();
    first_tsc = (*first)->cpu_time_tsc;
    second_tsc = (*second)->cpu_time_tsc;
    join(*first);
    join(*second);
    return true;
}

}  // namespace

// Round robin with a 20 ms slice gives each about 25 turns in the second; a
// turn more for one of them is 4%. A scheduler that let one run on, or gave
// one longer turns, is far outside 10% every time; one that charged nothing
// fails the check that the pair used most of the second. A loaded host can
// stall the emulated CPU for tens of milliseconds, charged to whichever
// spinner ran then (at a load of 9 on two cores, about one second in ten
// missed 10% that way): so a second that misses is tried again, up to
// three in all; the test takes one second when nothing goes wrong.
KTEST(two_cpu_bound_threads_share_the_cpu_within_ten_percent) {
    KEXPECT(tsc_per_ms() != 0);
    if (tsc_per_ms() == 0) return;
    constexpr int kTries = 3;
    for (int attempt = 1; attempt <= kTries; ++attempt) {
        const uint64_t switches = context_switches();
        uint64_t a = 0, b = 0;
        KEXPECT(share_one_second(a, b));
        log::printf("# fairness: %llu ms and %llu ms of CPU, %llu switches\n", (unsigned long long)(a / tsc_per_ms()),
                    (unsigned long long)(b / tsc_per_ms()), (unsigned long long)(context_switches() - switches));
        KEXPECT(a + b >= 750 * tsc_per_ms());
        const uint64_t larger = a > b ? a : b, smaller = a > b ? b : a;
        const bool within = smaller * 10 >= larger * 9;
        if (within || attempt == kTries) {
            KEXPECT(within);
            return;
        }
    }
}

namespace {

// How long sleep_ms(ms) took, in TSC cycles.
uint64_t time_sleep(uint64_t ms) {
    const uint64_t start = arch::read_tsc();
    sleep_ms(ms);
    return arch::read_tsc() - start;
}

}  // namespace

// The bounds: never less than asked, on every try, since the scheduler's
// clock is this very TSC; and at most one tick more, plus a quarter tick for
// the wake-up's own path, on the best of five tries. The best, because a
// loaded host may stall the emulated CPU for a while at any moment, which a
// single try would take for a late wake-up; a scheduler that wakes a tick
// late (or rounds up a whole tick too many) is late on every try.
KTEST(sleep_ms_wakes_within_one_tick_of_the_time_asked) {
    const uint64_t ms = tsc_per_ms();
    const uint64_t tick = drivers::timer_calibration().tsc_hz / drivers::tick_hz();
    KEXPECT(ms != 0 && tick != 0);
    if (ms == 0 || tick == 0) return;
    constexpr int kTries = 5;
    constexpr uint64_t kAsked[] = {1, 10, 15};  // ms: under a tick, one tick, between ticks
    for (const uint64_t asked : kAsked) {
        uint64_t best = ~0ull;
        for (int attempt = 0; attempt < kTries; ++attempt) {
            const uint64_t took = time_sleep(asked);
            KEXPECT(took >= asked * ms);
            if (took < best) best = took;
        }
        log::printf("# sleep_ms(%llu): best of %d took %llu us\n", (unsigned long long)asked, kTries,
                    (unsigned long long)(best * 1000 / ms));
        KEXPECT(best <= asked * ms + tick + tick / 4);
    }
}
