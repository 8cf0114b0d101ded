// A list with room for a fixed number of items and a count of those that did not fit: tables without a heap.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/panic.hpp"

namespace kernel::acpi {

template <typename T, size_t Capacity>
class FixedList {
public:
    static constexpr size_t kCapacity = Capacity;

    // Keeps the first Capacity items and counts the rest, so a table with huge counts still parses.
    constexpr void push(const T& item) {
        if (m_count < Capacity)
            m_items[m_count++] = item;
        else if (m_dropped != UINT32_MAX)
            ++m_dropped;
    }

    [[nodiscard]] constexpr size_t size() const { return m_count; }
    [[nodiscard]] constexpr bool empty() const { return m_count == 0; }
    // Items the table had beyond Capacity: the caller decides whether losing them matters.
    [[nodiscard]] constexpr uint32_t dropped() const { return m_dropped; }

    [[nodiscard]] const T& operator[](size_t index) const {
        KASSERT(index < m_count);
        return m_items[index];
    }
    [[nodiscard]] constexpr const T* begin() const { return m_items; }
    [[nodiscard]] constexpr const T* end() const { return m_items + m_count; }

private:
    T m_items[Capacity]{};
    size_t m_count = 0;
    uint32_t m_dropped = 0;
};

}  // namespace kernel::acpi
