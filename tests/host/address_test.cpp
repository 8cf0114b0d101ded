// Host tests for the address types, the layout and the direct-map conversion,
// and the small vocabulary (Optional, Span) they use.
#include "addr/address.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <type_traits>

#include "addr/direct_map.hpp"
#include "addr/layout.hpp"
#include "lib/optional.hpp"
#include "lib/span.hpp"

using namespace kernel::mm;

// Two kinds that never mix, and never turn into integers or pointers by themselves.
static_assert(!std::is_convertible_v<PhysicalAddress, VirtualAddress>);
static_assert(!std::is_convertible_v<VirtualAddress, PhysicalAddress>);
static_assert(!std::is_convertible_v<uint64_t, PhysicalAddress>);
static_assert(!std::is_convertible_v<PhysicalAddress, uint64_t>);
static_assert(!std::is_convertible_v<VirtualAddress, void*>);
static_assert(std::is_trivially_copyable_v<PhysicalAddress> && sizeof(PhysicalAddress) == 8);

TEST(Address, PageArithmetic) {
    const PhysicalAddress address(0x12345);
    EXPECT_EQ(address.page_floor().value(), 0x12000u);
    EXPECT_EQ(address.page_ceil().value(), 0x13000u);
    EXPECT_EQ(address.page_offset(), 0x345u);
    EXPECT_EQ(address.page_number(), 0x12u);
    EXPECT_EQ(PhysicalAddress::from_page_number(0x12), PhysicalAddress(0x12000));
    EXPECT_FALSE(address.is_page_aligned());
    EXPECT_TRUE(address.page_floor().is_page_aligned());
    EXPECT_TRUE(PhysicalAddress(0x200000).is_aligned(2 << 20));
    EXPECT_EQ(PhysicalAddress(0x1000).page_ceil().value(), 0x1000u);
    EXPECT_EQ((address + 0x10).value(), 0x12355u);
    EXPECT_EQ(PhysicalAddress(0x3000) - PhysicalAddress(0x1000), 0x2000u);
    EXPECT_LT(PhysicalAddress(1), PhysicalAddress(2));
    EXPECT_EQ(VirtualAddress(UINT64_MAX).page_floor().value(), 0xFFFF'FFFF'FFFF'F000u);
}

TEST(Address, ArithmeticPanicsInsteadOfWrapping) {
    EXPECT_THROW((void)VirtualAddress(UINT64_MAX - 10).page_ceil(), std::runtime_error);
    EXPECT_THROW((void)(PhysicalAddress(UINT64_MAX) + 1), std::runtime_error);
    EXPECT_THROW((void)(PhysicalAddress(0) - 1), std::runtime_error);
    EXPECT_THROW((void)(PhysicalAddress(1) - PhysicalAddress(2)), std::runtime_error);
    EXPECT_THROW((void)PhysicalAddress(0).is_aligned(3), std::runtime_error);
}

TEST(Address, OnlyVirtualAddressesBecomePointersAndOnlyByName) {
    int value = 7;
    const VirtualAddress address = VirtualAddress::from_pointer(&value);
    EXPECT_EQ(address.as_pointer<int>(), &value);
}

TEST(Layout, RegionsAreInOrderAndStacksHaveGuardPages) {
    EXPECT_EQ(layout::kDirectMapBase.value() >> 39 & 511, 256u);
    EXPECT_EQ(layout::kKernelImageBase.value(), 0xFFFF'FFFF'8000'0000u);
    EXPECT_EQ(layout::kernel_stack_bottom(0) - layout::kKernelStacksBase, kPageSize);  // the guard below
    EXPECT_EQ(layout::kernel_stack_top(0), layout::kKernelStacksBase + layout::kKernelStackSlotSize);
    EXPECT_EQ(layout::kernel_stack_bottom(1) - layout::kernel_stack_top(0), kPageSize);
    EXPECT_THROW((void)layout::kernel_stack_bottom(layout::kKernelStackSlots), std::runtime_error);
}

TEST(DirectMap, TheOneConversionFollowsTheBaseTheKernelSets) {
    EXPECT_EQ(to_virtual(PhysicalAddress(0x1234)).value(), 0xFFFF'8000'0000'1234u);
    EXPECT_THROW((void)to_virtual(layout::kDirectMapLimit), std::runtime_error);
    alignas(4096) static uint64_t ram[512];
    // The buffer stands in for physical [1 MiB, 1 MiB + 4 KiB).
    set_direct_map_base(VirtualAddress(reinterpret_cast<uintptr_t>(ram) - 0x100000));
    *to_pointer<uint64_t>(PhysicalAddress(0x100008)) = 42;
    EXPECT_EQ(ram[1], 42u);
    EXPECT_EQ(to_physical(VirtualAddress::from_pointer(&ram[2])), PhysicalAddress(0x100010));
    set_direct_map_base(layout::kDirectMapBase);
}

TEST(Vocabulary, OptionalAndSpan) {
    kernel::lib::Optional<PhysicalAddress> none;
    EXPECT_FALSE(none.has_value());
    EXPECT_THROW((void)none.value(), std::runtime_error);
    EXPECT_EQ(none.value_or(PhysicalAddress(5)), PhysicalAddress(5));
    const kernel::lib::Optional<PhysicalAddress> some = PhysicalAddress(9);
    EXPECT_EQ(some->value(), 9u);
    PhysicalRange ranges[2] = {{PhysicalAddress(1), 2}, {PhysicalAddress(3), 4}};
    const kernel::lib::Span<const PhysicalRange> span(ranges);
    EXPECT_EQ(span.size(), 2u);
    EXPECT_EQ(span[1].size, 4u);
    EXPECT_THROW((void)span[2], std::runtime_error);
}
