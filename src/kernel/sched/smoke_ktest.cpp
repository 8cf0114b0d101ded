// The scheduler's first proof: threads run, take turns, sleep and are joined.
#include "sched/scheduler.hpp"
#include "sched/sync.hpp"
#include "sched/thread.hpp"
#include "testing/ktest.hpp"

namespace kernel::sched {

namespace {

int add_one(void* argument) {
    return static_cast<int>(reinterpret_cast<uintptr_t>(argument)) + 1;
}

struct PingPong {
    int turns = 0;
};

int ping(void* argument) {
    auto* state = static_cast<PingPong*>(argument);
    for (int i = 0; i < 100; ++i) {
        ++state->turns;
        yield();
    }
    return 0;
}

}  // namespace

KTEST(smoke_thread_runs_and_is_joined_with_its_status) {
    const ErrorOr<Thread*> thread = create_thread("adder", add_one, reinterpret_cast<void*>(41));
    KEXPECT(!thread.is_error());
    KEXPECT_EQ(join(thread.value()), 42);
}

KTEST(smoke_two_threads_yield_to_each_other) {
    PingPong state;
    const uint64_t switches = context_switches();
    Thread* a = create_thread("ping", ping, &state).value();
    Thread* b = create_thread("pong", ping, &state).value();
    join(a);
    join(b);
    KEXPECT_EQ(state.turns, 200);
    KEXPECT(context_switches() - switches >= 200);
}

namespace {

int spin_until_stopped(void* argument) {
    auto* stop = static_cast<volatile bool*>(argument);
    while (!*stop) {
    }
    return 0;
}

}  // namespace

// The spinner never yields: the sleeper gets the CPU back only because the
// tick wakes it and then ends the spinner's time slice.
KTEST(smoke_a_spinning_thread_is_preempted) {
    volatile bool stop = false;
    Thread* spinner = create_thread("spinner", spin_until_stopped, const_cast<bool*>(&stop)).value();
    const uint64_t switches = context_switches();
    sleep_ms(50);
    stop = true;
    KEXPECT_EQ(join(spinner), 0);
    KEXPECT(context_switches() - switches >= 2);
}

}  // namespace kernel::sched
