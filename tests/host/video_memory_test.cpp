// Host tests for VideoMemory (store widths, bounds) and for TrappedMemory itself: a deliberate read of any kind must
// be counted, or the "no read" checks of the screen-driver tests would prove nothing.
#include "drivers/video_memory.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "trapped_memory.hpp"

using kernel::drivers::VideoMemory;

namespace {

constexpr uint8_t kSentinel = 0xA5;

std::vector<uint8_t> counting(size_t count) {
    std::vector<uint8_t> bytes(count);
    for (size_t i = 0; i < count; ++i) bytes[i] = static_cast<uint8_t>(i + 1);
    return bytes;
}

}  // namespace

TEST(TrappedMemory, CountsALoad) {
    TrappedMemory memory(64, kSentinel);
    const volatile uint8_t* device = memory.device();
    EXPECT_EQ(device[3], kSentinel);
    EXPECT_EQ(TrappedMemory::reads(), 1u);
    EXPECT_EQ(TrappedMemory::writes(), 0u);
}

TEST(TrappedMemory, CountsAStoreAsAWriteOnly) {
    TrappedMemory memory(64, kSentinel);
    volatile uint8_t* device = memory.device();
    device[5] = 7;
    EXPECT_EQ(TrappedMemory::reads(), 0u);
    EXPECT_EQ(TrappedMemory::writes(), 1u);
    EXPECT_EQ(memory.view()[5], 7);
}

// x86 reports a read-modify-write as a store fault; the instruction check must still call it a read.
TEST(TrappedMemory, CountsAReadModifyWriteAsARead) {
    TrappedMemory memory(64, 0x10);
    uint8_t* device = memory.device();
    asm volatile("orb $1, %0" : "+m"(*device));
    EXPECT_EQ(TrappedMemory::reads(), 1u);
    EXPECT_EQ(TrappedMemory::writes(), 1u);
    EXPECT_EQ(memory.view()[0], 0x11);
}

// What the console did before it kept its text in RAM: scroll by moving video memory onto itself.
TEST(TrappedMemory, CatchesAMemmoveScroll) {
    TrappedMemory memory(8192, kSentinel);
    __builtin_memmove(memory.device(), memory.device() + 1024, 4096);
    EXPECT_GT(TrappedMemory::reads(), 0u);
    EXPECT_GT(TrappedMemory::writes(), 0u);
}

TEST(TrappedMemory, CatchesAMemcpyOutOfVideoMemory) {
    TrappedMemory memory(64, kSentinel);
    uint8_t copy[16];
    std::memcpy(copy, memory.device(), sizeof copy);
    EXPECT_EQ(copy[15], kSentinel);
    EXPECT_GT(TrappedMemory::reads(), 0u);
}

TEST(TrappedMemory, StoresPastTheEndCrash) {
    EXPECT_DEATH(
        {
            TrappedMemory memory(100, kSentinel);
            memory.device()[4096 + 1] = 1;
        },
        "");
}

TEST(IsPlainStore, KnowsStoresFromReadModifyWrites) {
    const std::vector<std::vector<uint8_t>> stores = {
        {0x88, 0x07},              // mov [rdi], al
        {0x89, 0x07},              // mov [rdi], eax
        {0x48, 0x89, 0x07},        // mov [rdi], rax
        {0x66, 0x89, 0x07},        // mov [rdi], ax
        {0xC6, 0x07, 0x01},        // mov byte [rdi], 1
        {0xF3, 0x48, 0xAB},        // rep stosq
        {0x0F, 0x11, 0x07},        // movups [rdi], xmm0
        {0x0F, 0xC3, 0x07},        // movnti [rdi], eax
        {0xC5, 0xFA, 0x7F, 0x07},  // vmovdqu [rdi], xmm0
        {0xC4, 0xE1, 0xFA, 0x7F, 0x07},
    };
    for (const auto& code : stores) EXPECT_TRUE(is_plain_store(code.data())) << std::hex << int(code[0]);
    const std::vector<std::vector<uint8_t>> read_modify_writes = {
        {0x08, 0x07},              // or [rdi], al
        {0x80, 0x0F, 0x01},        // or byte [rdi], 1
        {0x48, 0x01, 0x07},        // add [rdi], rax
        {0xF0, 0x01, 0x07},        // lock add [rdi], eax
        {0x86, 0x07},              // xchg [rdi], al
        {0xFE, 0x07},              // inc byte [rdi]
        {0x0F, 0xB1, 0x0F},        // cmpxchg [rdi], ecx
        {0x66, 0x0F, 0xAB, 0x07},  // bts [rdi], ax
    };
    for (const auto& code : read_modify_writes) EXPECT_FALSE(is_plain_store(code.data())) << std::hex << int(code[0]);
}

TEST(VideoMemory, StoresAlignedRunsEightBytesAtATime) {
    TrappedMemory memory(64, kSentinel);
    const VideoMemory screen(memory.device(), memory.size());
    const auto bytes = counting(24);
    screen.store(8, bytes.data(), bytes.size());
    EXPECT_EQ(TrappedMemory::writes(), 3u);
    EXPECT_EQ(TrappedMemory::reads(), 0u);
    EXPECT_EQ(std::memcmp(memory.view() + 8, bytes.data(), bytes.size()), 0);
    EXPECT_EQ(memory.view()[7], kSentinel);
    EXPECT_EQ(memory.view()[32], kSentinel);
}

TEST(VideoMemory, AlignsOddStartsAndEndsWithNarrowerStores) {
    TrappedMemory memory(64, kSentinel);
    const VideoMemory screen(memory.device(), memory.size());
    const auto bytes = counting(21);
    screen.store(1, bytes.data(), bytes.size());  // 1, 2 and 4 bytes up to 8-byte alignment, 8, then 4 and 2.
    EXPECT_EQ(TrappedMemory::writes(), 6u);
    EXPECT_EQ(TrappedMemory::reads(), 0u);
    EXPECT_EQ(std::memcmp(memory.view() + 1, bytes.data(), bytes.size()), 0);
    EXPECT_EQ(memory.view()[0], kSentinel);
    EXPECT_EQ(memory.view()[22], kSentinel);
}

TEST(VideoMemory, AVgaCellIsOneStore) {
    TrappedMemory memory(64, kSentinel);
    const VideoMemory screen(memory.device(), memory.size());
    const uint8_t cell[2] = {'A', 0x1E};
    screen.store(6, cell, sizeof cell);
    EXPECT_EQ(TrappedMemory::writes(), 1u);
    EXPECT_EQ(memory.view()[6], 'A');
    EXPECT_EQ(memory.view()[7], 0x1E);
}

TEST(VideoMemory, DropsRangesOutsideTheScreen) {
    TrappedMemory memory(64, kSentinel);
    const VideoMemory screen(memory.device(), 32);
    const auto bytes = counting(8);
    screen.store(28, bytes.data(), 8);
    screen.store(33, bytes.data(), 0);
    screen.store(~size_t{0}, bytes.data(), 2);
    screen.store(8, bytes.data(), ~size_t{0} - 4);
    VideoMemory{}.store(0, bytes.data(), 1);
    EXPECT_EQ(TrappedMemory::writes(), 0u);
    for (size_t i = 0; i < 64; ++i) EXPECT_EQ(memory.view()[i], kSentinel) << i;
}
