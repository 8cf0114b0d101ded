// Physical and virtual addresses as two distinct types, so one can never be
// passed where the other is meant, and a physical address is never
// dereferenced by accident: only a VirtualAddress turns into a pointer, and
// only when asked by name.
//
// addr/ holds the words of memory that both arch/ (the page-table format)
// and mm/ (the memory manager above it) speak, so neither includes the
// other's; they keep memory's namespace, kernel::mm.
#pragma once

#include <stdint.h>

#include "config.hpp"
#include "lib/panic.hpp"

namespace kernel::mm {

inline constexpr uint64_t kPageSize = PAGE_SIZE;  // config.hpp: shared with NASM
inline constexpr unsigned kPageShift = 12;

constexpr bool is_power_of_two(uint64_t value) {
    return value != 0 && (value & (value - 1)) == 0;
}

namespace detail {

struct PhysicalTag {};
struct VirtualTag {};

// The shared arithmetic; Tag keeps the two address kinds apart.
template <typename Tag>
class Address {
public:
    constexpr Address() = default;
    constexpr explicit Address(uint64_t value) : m_value(value) {}

    [[nodiscard]] constexpr uint64_t value() const { return m_value; }
    [[nodiscard]] constexpr bool is_null() const { return m_value == 0; }

    [[nodiscard]] constexpr bool is_aligned(uint64_t alignment) const {
        KASSERT(is_power_of_two(alignment));
        return (m_value & (alignment - 1)) == 0;
    }
    [[nodiscard]] constexpr bool is_page_aligned() const { return is_aligned(kPageSize); }

    [[nodiscard]] constexpr Address align_down(uint64_t alignment) const {
        KASSERT(is_power_of_two(alignment));
        return Address(m_value & ~(alignment - 1));
    }
    // Panics instead of wrapping past 2^64.
    [[nodiscard]] constexpr Address align_up(uint64_t alignment) const {
        KASSERT(is_power_of_two(alignment));
        KASSERT(m_value <= UINT64_MAX - (alignment - 1));
        return Address((m_value + alignment - 1) & ~(alignment - 1));
    }
    [[nodiscard]] constexpr Address page_floor() const { return align_down(kPageSize); }
    [[nodiscard]] constexpr Address page_ceil() const { return align_up(kPageSize); }
    [[nodiscard]] constexpr uint64_t page_offset() const { return m_value & (kPageSize - 1); }
    // The 4 KiB page (or frame) number.
    [[nodiscard]] constexpr uint64_t page_number() const { return m_value >> kPageShift; }
    [[nodiscard]] static constexpr Address from_page_number(uint64_t page) { return Address(page << kPageShift); }

    // Offsets panic instead of wrapping past either end of the address space.
    [[nodiscard]] constexpr Address offset(uint64_t bytes) const {
        KASSERT(m_value <= UINT64_MAX - bytes);
        return Address(m_value + bytes);
    }
    [[nodiscard]] constexpr Address offset_back(uint64_t bytes) const {
        KASSERT(m_value >= bytes);
        return Address(m_value - bytes);
    }
    constexpr Address operator+(uint64_t bytes) const { return offset(bytes); }
    constexpr Address operator-(uint64_t bytes) const { return offset_back(bytes); }
    constexpr Address& operator+=(uint64_t bytes) { return *this = offset(bytes); }
    // The distance between two addresses of the same kind; `other` must not lie above.
    constexpr uint64_t operator-(Address other) const {
        KASSERT(other.m_value <= m_value);
        return m_value - other.m_value;
    }

    // By hand: a defaulted <=> needs <compare>, which freestanding code lacks.
    friend constexpr bool operator==(Address, Address) = default;
    friend constexpr bool operator<(Address a, Address b) { return a.m_value < b.m_value; }
    friend constexpr bool operator<=(Address a, Address b) { return a.m_value <= b.m_value; }
    friend constexpr bool operator>(Address a, Address b) { return a.m_value > b.m_value; }
    friend constexpr bool operator>=(Address a, Address b) { return a.m_value >= b.m_value; }

    // Only virtual addresses meet pointers, and only by name: calling either
    // on a PhysicalAddress stops the build. (A static_assert rather than a
    // requires clause, which clang-format 14 and 19 would lay out differently.)
    static Address from_pointer(const volatile void* pointer) {
        static_assert(__is_same(Tag, VirtualTag), "only a VirtualAddress comes from a pointer");
        return Address(reinterpret_cast<uintptr_t>(pointer));
    }
    template <typename T>
    [[nodiscard]] T* as_pointer() const {
        static_assert(__is_same(Tag, VirtualTag), "only a VirtualAddress turns into a pointer");
        return reinterpret_cast<T*>(static_cast<uintptr_t>(m_value));
    }

private:
    uint64_t m_value = 0;
};

}  // namespace detail

using PhysicalAddress = detail::Address<detail::PhysicalTag>;
using VirtualAddress = detail::Address<detail::VirtualTag>;

// A contiguous span of physical memory; size 0 means nothing.
struct PhysicalRange {
    PhysicalAddress base;
    uint64_t size = 0;
};

}  // namespace kernel::mm
