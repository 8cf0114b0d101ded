// Host tests for the kernel's memcpy/memmove/memset/memcmp implementations.
#include "lib/memory.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <numeric>

using namespace kernel::lib;

namespace {

std::array<uint8_t, 64> iota_bytes() {
    std::array<uint8_t, 64> bytes{};
    std::iota(bytes.begin(), bytes.end(), uint8_t{1});
    return bytes;
}

}  // namespace

TEST(Memory, CopyReturnsDestinationAndCopiesEveryLengthAndAlignment) {
    const auto source = iota_bytes();
    for (size_t offset = 0; offset < 8; ++offset) {
        for (size_t length = 0; length + offset <= 40; ++length) {
            std::array<uint8_t, 64> destination{};
            EXPECT_EQ(copy_memory(destination.data() + offset, source.data() + offset, length),
                      destination.data() + offset);
            for (size_t i = 0; i < destination.size(); ++i) {
                const bool inside = i >= offset && i < offset + length;
                EXPECT_EQ(destination[i], inside ? source[i] : 0) << "offset " << offset << " length " << length;
            }
        }
    }
}

TEST(Memory, CopyZeroBytesTouchesNothing) {
    uint8_t byte = 0x5A;
    copy_memory(&byte, nullptr, 0);
    EXPECT_EQ(byte, 0x5A);
}

TEST(Memory, MoveHandlesOverlapInBothDirections) {
    auto forward = iota_bytes();
    move_memory(forward.data() + 3, forward.data(), 20);  // destination above source
    for (size_t i = 0; i < 20; ++i) EXPECT_EQ(forward[3 + i], i + 1);

    auto backward = iota_bytes();
    move_memory(backward.data(), backward.data() + 3, 20);  // destination below source
    for (size_t i = 0; i < 20; ++i) EXPECT_EQ(backward[i], i + 4);
}

TEST(Memory, MoveOntoItselfIsANoOp) {
    auto bytes = iota_bytes();
    EXPECT_EQ(move_memory(bytes.data(), bytes.data(), bytes.size()), bytes.data());
    EXPECT_EQ(bytes, iota_bytes());
}

TEST(Memory, FillUsesOnlyTheLowByteOfTheValue) {
    std::array<uint8_t, 16> bytes{};
    EXPECT_EQ(fill_memory(bytes.data() + 1, 0x1AB, 14), bytes.data() + 1);
    EXPECT_EQ(bytes[0], 0);
    for (size_t i = 1; i < 15; ++i) EXPECT_EQ(bytes[i], 0xAB);
    EXPECT_EQ(bytes[15], 0);
}

TEST(Memory, CompareOrdersAsUnsignedBytes) {
    const uint8_t low[] = {1, 2, 0x7F};
    const uint8_t high[] = {1, 2, 0x80};
    EXPECT_LT(compare_memory(low, high, 3), 0);
    EXPECT_GT(compare_memory(high, low, 3), 0);
    EXPECT_EQ(compare_memory(low, high, 2), 0);
    EXPECT_EQ(compare_memory(low, high, 0), 0);
}
