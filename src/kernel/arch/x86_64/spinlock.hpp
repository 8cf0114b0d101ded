// The lock for data that interrupt handlers share with threads, and the
// scheduler's own: interrupts off on this CPU while it is held (so neither an
// interrupt handler nor a preempting switch can run into it here), and a spin
// on the lock word against other CPUs. Hold it for a few instructions, never
// across anything that sleeps; for long waits there is sched::Mutex.
#pragma once

#include <stdint.h>

#include "arch/x86_64/interrupts.hpp"

namespace kernel::arch {

// Interrupts off for a scope, and back as they were when it ends: nests.
class InterruptsOff {
public:
    InterruptsOff() : m_flags(save_and_disable_interrupts()) {}
    ~InterruptsOff() { restore_interrupts(m_flags); }
    InterruptsOff(const InterruptsOff&) = delete;
    InterruptsOff& operator=(const InterruptsOff&) = delete;

private:
    uint64_t m_flags;
};

inline constexpr uint64_t kRflagsInterruptsEnabled = 1u << 9;  // RFLAGS.IF

[[nodiscard]] inline bool interrupts_enabled() {
    uint64_t flags;
    asm volatile("pushfq; popq %0" : "=r"(flags));
    return (flags & kRflagsInterruptsEnabled) != 0;
}

// The bare lock: the caller turns interrupts off first (SpinLockGuard does
// both), so that lock and unlock can be handed from one thread to the next
// across a context switch, as the scheduler does with its own.
class SpinLock {
public:
    void lock() {
        while (__atomic_exchange_n(&m_locked, true, __ATOMIC_ACQUIRE))
            while (__atomic_load_n(&m_locked, __ATOMIC_RELAXED)) asm volatile("pause");
    }
    void unlock() { __atomic_store_n(&m_locked, false, __ATOMIC_RELEASE); }
    [[nodiscard]] bool is_locked() const { return __atomic_load_n(&m_locked, __ATOMIC_RELAXED); }

private:
    bool m_locked = false;
};

// Interrupts off, then the lock; the lock released, then interrupts as they were.
class SpinLockGuard {
public:
    explicit SpinLockGuard(SpinLock& lock) : m_lock(lock) { m_lock.lock(); }
    ~SpinLockGuard() { m_lock.unlock(); }
    SpinLockGuard(const SpinLockGuard&) = delete;
    SpinLockGuard& operator=(const SpinLockGuard&) = delete;

private:
    InterruptsOff m_interrupts_off;  // constructed first, destroyed last
    SpinLock& m_lock;
};

}  // namespace kernel::arch
