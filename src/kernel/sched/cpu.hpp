// The scheduler's per-CPU block and its private interface, shared by
// scheduler.cpp (queues and the switch), thread.cpp (a thread's life) and
// sync.cpp (the locks). Nothing outside sched/ includes this.
#pragma once

#include <stdint.h>

#include "arch/x86_64/cpu_local.hpp"
#include "arch/x86_64/spinlock.hpp"
#include "sched/thread.hpp"

namespace kernel::sched {

// One per CPU, reached through GS (arch::CpuLocal is its first part).
struct Cpu : arch::CpuLocal {
    Thread* current = nullptr;     // running here now
    Thread* idle = nullptr;        // runs when nothing else is Ready; never queued
    WaitQueue run_queue;           // Ready threads, first come first served
    Thread* sleepers = nullptr;    // Sleeping threads, soonest wake-up first
    bool need_reschedule = false;  // set by the tick or a wake-up, acted on at interrupt exit
    uint64_t switched_in_tsc = 0;  // when `current` got the CPU
    // The thread that exited on the way to `current`: the thread switched to
    // settles it (its stack was in use until the switch).
    Thread* exited = nullptr;
    uint64_t switches = 0;
};

[[nodiscard]] inline Cpu& this_cpu() {
    return *static_cast<Cpu*>(arch::cpu_local());
}

// Panics, naming the thread and what it tried (`what`), when the caller is
// an interrupt handler: a handler runs on the interrupted thread's stack and
// must never block it.
void assert_may_block(const char* what);

// The scheduler lock: every thread's state, the run queue, the timer queue
// and every wait queue's list. Taken with interrupts off; held across
// switch_away(), which releases it in the thread switched to.
[[nodiscard]] arch::SpinLock& scheduler_lock();

// Puts thread on the run queue as Ready. Scheduler lock held.
void make_ready_locked(Thread* thread);

// Gives the CPU to the next Ready thread (or idle). The caller holds the
// scheduler lock with interrupts off and has already put the current thread
// where it belongs (Ready on the run queue, Blocked on a wait queue,
// Sleeping, Exited). Returns, with the lock released and interrupts still
// off, when the calling thread runs again.
void switch_away();

// TSC cycles in milliseconds (0 before the clock starts).
[[nodiscard]] uint64_t cpu_time_ms(uint64_t tsc_cycles);

// Where every new thread starts, on its own stack (from thread_trampoline).
// The scheduler lock is held on arrival, as switch_away() left it.
extern "C" [[noreturn]] void thread_start();

// thread.cpp: once a thread has exited and the CPU has left its stack, makes
// it finished: frees it when detached, else wakes its joiner.
void settle_exited(Thread* thread);

// thread.cpp: the boot flow's record, and the list of every thread.
void adopt_boot_thread(Thread* boot);
void add_to_thread_list(Thread* thread);

}  // namespace kernel::sched
