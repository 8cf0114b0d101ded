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
    return __builtin_bit_cast(T, *reinterpret_cast<const volatile Raw*>(address));
}

}  // namespace kernel::lib
