// A lock-free single-producer/single-consumer ring of fixed capacity: an
// interrupt handler pushes, the normal kernel pops, and neither ever waits.
#pragma once

#include <stdint.h>

#include "lib/optional.hpp"

namespace kernel::lib {

// Head and tail run freely and wrap around Index's range; slots are picked
// with a mask, so Capacity must be a power of two no larger than half that
// range (then head - tail is the fill level even across the wrap). Index is a
// parameter only so tests can make the wrap happen in a few hundred pushes.
//
// Why it is safe between an interrupt and the code it interrupts, on one CPU
// or across two: each index has exactly one writer. The producer fills a slot
// and then publishes it by storing head with release order; the consumer
// loads head with acquire order before reading the slot, and stores tail with
// release order only after copying the slot out, which is what frees it for
// the producer. On x86 these are plain moves the compiler may not reorder.
template <typename T, uint32_t Capacity, typename Index = uint32_t>
class RingBuffer {
    static_assert(__is_trivially_copyable(T), "slots are copied while the other side runs");
    static_assert(Capacity > 0 && (Capacity & (Capacity - 1)) == 0, "Capacity must be a power of two");
    static_assert(static_cast<Index>(-1) > 0, "Index must be unsigned");
    static_assert(Capacity <= (static_cast<Index>(-1) >> 1) + 1ull, "Index too narrow for Capacity");

public:
    constexpr RingBuffer() = default;
    RingBuffer(const RingBuffer&) = delete;
    RingBuffer& operator=(const RingBuffer&) = delete;

    static constexpr uint32_t capacity() { return Capacity; }

    // Producer side (the interrupt handler). When the ring is full the value
    // is dropped and counted: an interrupt handler cannot wait for room.
    [[nodiscard]] bool push(const T& value) {
        const Index head = __atomic_load_n(&m_head, __ATOMIC_RELAXED);
        const Index tail = __atomic_load_n(&m_tail, __ATOMIC_ACQUIRE);
        if (static_cast<Index>(head - tail) == Capacity) {
            __atomic_store_n(&m_dropped, __atomic_load_n(&m_dropped, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
            return false;
        }
        m_slots[head & kMask] = value;
        __atomic_store_n(&m_head, static_cast<Index>(head + 1), __ATOMIC_RELEASE);
        return true;
    }

    // Consumer side (the normal kernel): the oldest value, or nothing.
    [[nodiscard]] Optional<T> pop() {
        const Index tail = __atomic_load_n(&m_tail, __ATOMIC_RELAXED);
        const Index head = __atomic_load_n(&m_head, __ATOMIC_ACQUIRE);
        if (head == tail) return {};
        const T value = m_slots[tail & kMask];
        __atomic_store_n(&m_tail, static_cast<Index>(tail + 1), __ATOMIC_RELEASE);
        return value;
    }

    // A snapshot: either side may change it right after it is read.
    [[nodiscard]] uint32_t size() const {
        const Index tail = __atomic_load_n(&m_tail, __ATOMIC_ACQUIRE);
        const Index head = __atomic_load_n(&m_head, __ATOMIC_ACQUIRE);
        const uint32_t used = static_cast<Index>(head - tail);
        return used < Capacity ? used : Capacity;  // a pop and a push between the two loads
    }
    [[nodiscard]] bool empty() const { return size() == 0; }

    // Values refused by push() because the ring was full, since construction.
    [[nodiscard]] uint32_t dropped() const { return __atomic_load_n(&m_dropped, __ATOMIC_RELAXED); }

private:
    static constexpr Index kMask = static_cast<Index>(Capacity - 1);

    T m_slots[Capacity]{};
    Index m_head = 0;        // written by the producer only
    Index m_tail = 0;        // written by the consumer only
    uint32_t m_dropped = 0;  // written by the producer only
};

}  // namespace kernel::lib
