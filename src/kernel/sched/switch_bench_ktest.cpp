// The benchmark's thread figures (tools/benchmark.py boots this test alone,
// under QEMU's -icount shift=0): a switch between two kernel threads, and a
// thread's create + join, in TSC ticks, printed on COM1.
//
// Under -icount shift=0 QEMU's virtual clock moves one nanosecond per guest
// instruction and the guest's TSC reads that clock, so TSC ticks are
// instructions, the same count on any host (a halt counts too: the virtual
// time it sleeps). Checked on QEMU 7.2 (Debian 12): the calibration loop
// below, 2,000,000 instructions (dec, jnz), reads 2,000,005 ticks, the few
// instructions of the TSC reads around it; without -icount it read 8.6
// million, the host's TSC at 2.3 GHz. The kernel cannot tell the two apart,
// so it says ticks, and the calibration line goes out with the figures: the
// benchmark reads them as instructions only when that line agrees.
#include "arch/x86_64/cpu.hpp"
#include "lib/log.hpp"
#include "sched/scheduler.hpp"
#include "sched/thread.hpp"
#include "testing/ktest.hpp"

namespace {

using namespace kernel;

constexpr uint64_t kCalibrationLoops = 1'000'000;  // two instructions each
constexpr uint64_t kRoundTrips = 2'000;            // per trial: two switches each
constexpr uint64_t kCreateJoins = 200;             // per trial
// Each figure is the best of a few trials: a timer tick (its interrupt, and
// maybe a preemption) lands in some trial now and then, and the figure is
// meant to be the path itself. The first trial also pays for the partner's
// start and for QEMU translating the code.
constexpr int kTrials = 5;

// TSC ticks over a count of events, and the switches the scheduler counted.
struct Trial {
    uint64_t ticks = 0;
    uint64_t events = 0;
    uint64_t switches = 0;

    [[nodiscard]] bool cheaper_than(const Trial& other) const {
        return other.events == 0 || ticks * other.events < other.ticks * events;
    }
};

// a / b with one decimal, in fixed point: the kernel has no floating point.
struct Tenths {
    unsigned long long whole, tenth;
};
Tenths divide(uint64_t a, uint64_t b) {
    const uint64_t tenths = (a * 10 + b / 2) / b;
    return {tenths / 10, tenths % 10};
}

void print_figure(const char* what, const Trial& trial) {
    if (trial.events == 0) return;  // the test's expectations have said why
    const Tenths cost = divide(trial.ticks, trial.events), switches = divide(trial.switches, trial.events);
    log::printf("mink-bench: %s %llu.%llu TSC ticks (best of %d trials of %llu; %llu.%llu switches each)\n", what,
                cost.whole, cost.tenth, kTrials, (unsigned long long)trial.events, switches.whole, switches.tenth);
}

uint64_t calibration_ticks() {
    uint64_t left = kCalibrationLoops;
    const uint64_t start = arch::read_tsc();
    asm volatile("1: dec %0\n\tjnz 1b" : "+r"(left));
    return arch::read_tsc() - start;
}

// The other side of the switch: yields back at once, until told to stop.
int yield_until_stopped(void* stop) {
    while (!__atomic_load_n(static_cast<bool*>(stop), __ATOMIC_RELAXED)) sched::yield();
    return 0;
}

// The boot thread and the partner are the only Ready threads, so each
// yield() is one switch there and one back. Switches are counted, not
// assumed: a yield with nothing else Ready does not switch.
Trial time_switches() {
    const uint64_t switches_before = sched::context_switches();
    const uint64_t start = arch::read_tsc();
    for (uint64_t i = 0; i < kRoundTrips; ++i) sched::yield();
    const uint64_t ticks = arch::read_tsc() - start;
    return {ticks, 2 * kRoundTrips, sched::context_switches() - switches_before};
}

int return_at_once(void*) {
    return 0;
}

// Creates, runs to its end and joins threads that do nothing; 0 events if
// a create fails.
Trial time_create_joins() {
    const uint64_t switches_before = sched::context_switches();
    const uint64_t start = arch::read_tsc();
    for (uint64_t i = 0; i < kCreateJoins; ++i) {
        ErrorOr<sched::Thread*> thread = sched::create_thread("bench-empty", return_at_once, nullptr);
        if (thread.is_error()) {
            log::printf("# create_thread failed: %s\n", to_string(thread.error()));
            return {};
        }
        sched::join(thread.value());
    }
    const uint64_t ticks = arch::read_tsc() - start;
    return {ticks, kCreateJoins, sched::context_switches() - switches_before};
}

}  // namespace

KTEST_ISOLATED(bench_threads) {
    log::printf("mink-bench: calibration %llu instructions in %llu TSC ticks\n",
                (unsigned long long)(2 * kCalibrationLoops), (unsigned long long)calibration_ticks());

    bool stop = false;
    ErrorOr<sched::Thread*> partner = sched::create_thread("bench-partner", yield_until_stopped, &stop);
    KEXPECT(!partner.is_error());
    if (partner.is_error()) return;
    Trial best_switch;
    for (int trial = 0; trial < kTrials; ++trial)
        if (const Trial t = time_switches(); t.cheaper_than(best_switch)) best_switch = t;
    __atomic_store_n(&stop, true, __ATOMIC_RELAXED);
    KEXPECT_EQ(sched::join(partner.value()), 0);
    KEXPECT_EQ(best_switch.switches, best_switch.events);  // else the figure is not one switch each
    print_figure("switch", best_switch);

    Trial best_create_join;
    for (int trial = 0; trial < kTrials; ++trial)
        if (const Trial t = time_create_joins(); t.events != 0 && t.cheaper_than(best_create_join))
            best_create_join = t;
    KEXPECT(best_create_join.events != 0);
    print_figure("create+join", best_create_join);
}
