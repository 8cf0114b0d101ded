// Optional<T>: a value or nothing, for results that may be absent without
// being errors. Only trivially copyable values (addresses, small records), so
// no placement new or destructor bookkeeping is needed.
#pragma once

#include "lib/panic.hpp"

namespace kernel::lib {

struct NullOptional {
    explicit constexpr NullOptional() = default;
};
inline constexpr NullOptional kNone{};

template <typename T>
class Optional {
    static_assert(__is_trivially_copyable(T), "Optional holds only trivially copyable values");

public:
    constexpr Optional() = default;
    constexpr Optional(NullOptional) {}
    constexpr Optional(const T& value) : m_value(value), m_has_value(true) {}

    [[nodiscard]] constexpr bool has_value() const { return m_has_value; }
    constexpr explicit operator bool() const { return m_has_value; }

    // Reading an empty Optional is a bug, never a silent zero.
    [[nodiscard]] constexpr const T& value() const {
        KASSERT(m_has_value);
        return m_value;
    }
    [[nodiscard]] constexpr T value_or(const T& fallback) const { return m_has_value ? m_value : fallback; }
    constexpr const T& operator*() const { return value(); }
    constexpr const T* operator->() const { return &value(); }

private:
    T m_value{};
    bool m_has_value = false;
};

}  // namespace kernel::lib
