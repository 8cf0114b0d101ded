// The blocking locks threads use: Mutex, Semaphore and ConditionVariable,
// each a few fields guarded by a spin lock and a wait queue to sleep on.
// None may be waited on in an interrupt handler (Semaphore::signal may).
#pragma once

#include <stdint.h>

#include "arch/x86_64/spinlock.hpp"
#include "sched/wait_queue.hpp"

namespace kernel::sched {

struct Thread;

// Mutual exclusion with an owner: only the thread that locked it may unlock
// it. Locking it twice, unlocking it from another thread, and a thread that
// would wait forever on a circle of owners each panic, naming the threads.
class Mutex {
public:
    explicit constexpr Mutex(const char* name = "mutex") : m_name(name) {}
    void lock();
    void unlock();
    [[nodiscard]] bool try_lock();
    [[nodiscard]] Thread* owner() const { return m_owner; }
    [[nodiscard]] const char* name() const { return m_name; }

private:
    const char* m_name;
    arch::SpinLock m_lock;
    Thread* m_owner = nullptr;
    WaitQueue m_waiters;
};

// Locks a Mutex for a scope.
class MutexGuard {
public:
    explicit MutexGuard(Mutex& mutex) : m_mutex(mutex) { m_mutex.lock(); }
    ~MutexGuard() { m_mutex.unlock(); }
    MutexGuard(const MutexGuard&) = delete;
    MutexGuard& operator=(const MutexGuard&) = delete;

private:
    Mutex& m_mutex;
};

// A count of things available: wait() takes one (blocking at zero), signal()
// gives one (and wakes a waiter); signal() is safe in interrupt handlers.
class Semaphore {
public:
    explicit constexpr Semaphore(uint64_t count = 0) : m_count(count) {}
    void wait();
    [[nodiscard]] bool try_wait();
    void signal();
    [[nodiscard]] uint64_t count() const { return m_count; }

private:
    arch::SpinLock m_lock;
    uint64_t m_count;
    WaitQueue m_waiters;
};

// Waits for a condition on data a Mutex guards: wait() unlocks the mutex and
// blocks in one step, and locks it again before returning. Check the
// condition in a loop around wait().
class ConditionVariable {
public:
    void wait(Mutex& mutex);
    void notify_one();
    void notify_all();

private:
    arch::SpinLock m_lock;
    WaitQueue m_waiters;
};

}  // namespace kernel::sched
