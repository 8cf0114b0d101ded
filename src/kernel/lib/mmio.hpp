// The one place memory-mapped I/O is touched: volatile accesses so the
// compiler never drops, merges or reorders what a device (or a screen) must
// see. Small structs (a VGA cell) travel as one integer of the same size.
#pragma once

#include <stdint.h>

namespace kernel::lib {

namespace detail {
template <unsigned Size>
struct UnsignedOfSize;
template <>
struct UnsignedOfSize<1> {
    using Type = uint8_t;
};
template <>
struct UnsignedOfSize<2> {
    using Type = uint16_t;
};
template <>
struct UnsignedOfSize<4> {
    using Type = uint32_t;
};
template <>
struct UnsignedOfSize<8> {
    using Type = uint64_t;
};
}  // namespace detail

template <typename T>
inline void mmio_write(T* address, T value) {
    using Raw = typename detail::UnsignedOfSize<sizeof(T)>::Type;
    *reinterpret_cast<volatile Raw*>(address) = __builtin_bit_cast(Raw, value);
}

template <typename T>
inline T mmio_read(const T* address) {
    using Raw = typename detail::UnsignedOfSize<sizeof(T)>::Type;
    // Loaded into a local first: bit-casting the volatile lvalue itself lets
    // clang narrow the load to the bytes the caller uses (an I/O APIC answers
    // only whole 32-bit reads; a byte read returned 0).
    const Raw raw = *reinterpret_cast<const volatile Raw*>(address);
    return __builtin_bit_cast(T, raw);
}

}  // namespace kernel::lib
