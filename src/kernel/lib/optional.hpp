// A value or nothing, for freestanding code that has no <optional>; only for
// small trivially copyable values (bytes, events), which is all the kernel
// passes around this way.
#pragma once

#include "lib/panic.hpp"

namespace kernel::lib {

template <typename T>
class Optional {
    static_assert(__is_trivially_copyable(T), "Optional holds plain values only");

public:
    constexpr Optional() = default;
    constexpr Optional(T value) : m_value(value), m_has_value(true) {}  // implicit, like std::optional

    [[nodiscard]] constexpr bool has_value() const { return m_has_value; }
    constexpr explicit operator bool() const { return m_has_value; }

    // Reading an empty Optional is a bug in the caller, never silently a zero.
    [[nodiscard]] constexpr const T& value() const {
        KASSERT(m_has_value);
        return m_value;
    }
    constexpr const T& operator*() const { return value(); }
    constexpr const T* operator->() const { return &value(); }

    [[nodiscard]] constexpr T value_or(T fallback) const { return m_has_value ? m_value : fallback; }

private:
    T m_value{};
    bool m_has_value = false;
};

}  // namespace kernel::lib
