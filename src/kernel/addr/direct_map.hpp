// The one conversion from a physical address to the virtual address where
// the direct map shows it. The base is a value the kernel sets once, when the
// direct map is live; host tests point it at a buffer standing in for RAM.
#pragma once

#include <stdint.h>

#include "addr/address.hpp"
#include "addr/layout.hpp"
#include "lib/panic.hpp"

namespace kernel::mm {

namespace detail {
inline constinit uint64_t g_direct_map_base = layout::kDirectMapBase.value();
}

inline void set_direct_map_base(VirtualAddress base) {
    detail::g_direct_map_base = base.value();
}

[[nodiscard]] inline VirtualAddress direct_map_base() {
    return VirtualAddress(detail::g_direct_map_base);
}

// Unsigned wrap-around is intended: on the host the base is "buffer minus the
// physical address the buffer stands for".
[[nodiscard]] inline VirtualAddress to_virtual(PhysicalAddress address) {
    KASSERT(address < layout::kDirectMapLimit);
    return VirtualAddress(detail::g_direct_map_base + address.value());
}

template <typename T>
[[nodiscard]] T* to_pointer(PhysicalAddress address) {
    return to_virtual(address).as_pointer<T>();
}

// The inverse, for addresses that lie in the direct map.
[[nodiscard]] inline PhysicalAddress to_physical(VirtualAddress address) {
    const uint64_t offset = address.value() - detail::g_direct_map_base;
    KASSERT(offset < layout::kDirectMapSize);
    return PhysicalAddress(offset);
}

}  // namespace kernel::mm
