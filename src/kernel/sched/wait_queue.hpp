// A queue of blocked threads, the one way a thread waits for something (a
// key, a mutex, another thread's exit). The condition waited for is kept by
// the caller under a spin lock of its own, and wait() gives that lock up only
// once the thread is safely on the queue, so a wake-up in between is never lost.
#pragma once

#include "arch/x86_64/spinlock.hpp"

namespace kernel::sched {

struct Thread;

class WaitQueue {
public:
    // Blocks the calling thread until wake_one() or wake_all() picks it.
    // The caller holds held with interrupts off (arch::SpinLockGuard); held
    // is released while the thread sleeps and taken again before wait()
    // returns. Re-check the condition then: another thread may have been
    // first. Never from an interrupt handler (panics).
    void wait(arch::SpinLock& held);

    // Makes the longest waiter Ready; returns whether there was one. Safe in
    // interrupt handlers.
    bool wake_one();
    // Makes every waiter Ready; returns how many there were.
    unsigned wake_all();

    [[nodiscard]] bool empty() const { return m_head == nullptr; }

    // The scheduler's side (scheduler.cpp): under its lock.
    void push(Thread* thread);
    Thread* pop();

private:
    Thread* m_head = nullptr;
    Thread* m_tail = nullptr;
};

}  // namespace kernel::sched
