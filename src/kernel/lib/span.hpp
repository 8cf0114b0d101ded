// Span<T>: a pointer and a count that travel together, with checked indexing.
#pragma once

#include <stddef.h>

#include "lib/panic.hpp"

namespace kernel::lib {

template <typename T>
class Span {
public:
    constexpr Span() = default;
    constexpr Span(T* data, size_t size) : m_data(data), m_size(size) {}
    template <size_t N>
    constexpr Span(T (&array)[N]) : m_data(array), m_size(N) {}

    [[nodiscard]] constexpr T* data() const { return m_data; }
    [[nodiscard]] constexpr size_t size() const { return m_size; }
    [[nodiscard]] constexpr bool empty() const { return m_size == 0; }
    constexpr T* begin() const { return m_data; }
    constexpr T* end() const { return m_data + m_size; }

    constexpr T& operator[](size_t index) const {
        KASSERT(index < m_size);
        return m_data[index];
    }

private:
    T* m_data = nullptr;
    size_t m_size = 0;
};

}  // namespace kernel::lib
