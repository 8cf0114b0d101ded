// Mutex, Semaphore and ConditionVariable: each keeps its state under its
// own spin lock and sleeps on its own wait queue (WaitQueue::wait gives the
// spin lock up only once the thread is queued, so no wake-up is lost).
#include "sched/sync.hpp"

#include "lib/panic.hpp"
#include "sched/cpu.hpp"

namespace kernel::sched {

namespace {

// Panics if current waiting for mutex would close a circle: the owner
// waits for a mutex whose owner waits ... for a mutex current holds. Such
// threads would wait for each other for good.
void check_for_deadlock(const Thread* current, const Mutex& mutex) {
    constexpr int kLongestChain = 64;
    const Mutex* wanted = &mutex;
    for (int step = 0; step < kLongestChain && wanted != nullptr; ++step) {
        const Thread* owner = wanted->owner();
        if (owner == nullptr) return;
        if (owner == current) {
            if (wanted == &mutex)
                panic("deadlock: thread '%s' locked mutex '%s' it already holds", current->name, mutex.name());
            panic("deadlock: thread '%s' waits for mutex '%s' held by '%s', which waits in turn for '%s'",
                  current->name, mutex.name(), mutex.owner()->name, current->name);
        }
        wanted = owner->waiting_for;
    }
}

}  // namespace

void Mutex::lock() {
    assert_may_block("lock a mutex");
    arch::SpinLockGuard guard(m_lock);
    Thread* self = current_thread();
    while (m_owner != nullptr) {
        check_for_deadlock(self, *this);
        self->waiting_for = this;
        m_waiters.wait(m_lock);
        self->waiting_for = nullptr;
    }
    m_owner = self;
    ++self->mutexes_held;
}

bool Mutex::try_lock() {
    arch::SpinLockGuard guard(m_lock);
    if (m_owner != nullptr) return false;
    m_owner = current_thread();
    ++m_owner->mutexes_held;
    return true;
}

void Mutex::unlock() {
    arch::SpinLockGuard guard(m_lock);
    Thread* self = current_thread();
    if (m_owner == nullptr) panic("thread '%s' unlocked mutex '%s', which nobody holds", self->name, m_name);
    if (m_owner != self)
        panic("thread '%s' unlocked mutex '%s', which thread '%s' holds", self->name, m_name, m_owner->name);
    m_owner = nullptr;
    --self->mutexes_held;
    m_waiters.wake_one();
}

void Semaphore::wait() {
    assert_may_block("wait on a semaphore");
    arch::SpinLockGuard guard(m_lock);
    while (m_count == 0) m_waiters.wait(m_lock);
    --m_count;
}

bool Semaphore::try_wait() {
    arch::SpinLockGuard guard(m_lock);
    if (m_count == 0) return false;
    --m_count;
    return true;
}

void Semaphore::signal() {
    arch::SpinLockGuard guard(m_lock);
    ++m_count;
    m_waiters.wake_one();
}

void ConditionVariable::wait(Mutex& mutex) {
    assert_may_block("wait on a condition variable");
    arch::SpinLockGuard guard(m_lock);
    // Unlocked only with m_lock held: a notify must take m_lock first, so
    // it cannot slip in between the unlock and the wait.
    mutex.unlock();
    m_waiters.wait(m_lock);
    m_lock.unlock();
    mutex.lock();
    m_lock.lock();  // the guard releases it
}

void ConditionVariable::notify_one() {
    arch::SpinLockGuard guard(m_lock);
    m_waiters.wake_one();
}

void ConditionVariable::notify_all() {
    arch::SpinLockGuard guard(m_lock);
    m_waiters.wake_all();
}

}  // namespace kernel::sched
