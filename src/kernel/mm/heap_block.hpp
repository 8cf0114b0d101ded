// The heap's block layout and header checksum, shared by the heap and its
// consistency checks. Internal to mm/heap*.cpp.
#pragma once

#include <stdint.h>

#include "mm/heap.hpp"

namespace kernel::mm {

struct Heap::Block {
    uint64_t size_and_used;  // whole block, header included; bit 0 set while in use
    uint64_t previous_size;  // the block just below; 0 for the first
    uint64_t requested;      // what the caller asked for, while in use
    uint64_t check;
    // Only in free blocks:
    Block* next_free;
    Block* previous_free;
};

namespace heap_block {

using Block = Heap::Block;

inline constexpr uint64_t kHeaderSize = 32;
inline constexpr uint64_t kMinBlockSize = sizeof(Block);
inline constexpr uint64_t kGranule = 16;
inline constexpr uint64_t kUsed = 1;
inline constexpr uint64_t kMinGrowth = 16 * kPageSize;
inline constexpr uint64_t kMagic = 0x6D69'6E6B'4845'4150ull;  // "minkHEAP"
static_assert(__builtin_offsetof(Block, next_free) == kHeaderSize);
static_assert(kHeaderSize % kGranule == 0 && kMinBlockSize % kGranule == 0);

constexpr uint64_t round_up(uint64_t value, uint64_t alignment) {
    return (value + alignment - 1) & ~(alignment - 1);
}

constexpr uint64_t mix(uint64_t value) {
    value ^= value >> 31;
    value *= 0x9E37'79B9'7F4A'7C15ull;
    return value ^ (value >> 29);
}

inline uint64_t address_of(const void* pointer) {
    return reinterpret_cast<uintptr_t>(pointer);
}

inline Block* block_at(uint64_t address) {
    return reinterpret_cast<Block*>(address);
}

inline uint64_t size_of(const Block* block) {
    return block->size_and_used & ~kUsed;
}

inline bool is_used(const Block* block) {
    return (block->size_and_used & kUsed) != 0;
}

inline uint64_t checksum(const Block* block) {
    uint64_t value = mix(kMagic ^ address_of(block));
    value = mix(value ^ block->size_and_used);
    value = mix(value ^ block->previous_size);
    return mix(value ^ block->requested);
}

inline void seal(Block* block, uint64_t size, bool used, uint64_t previous_size, uint64_t requested = 0) {
    block->size_and_used = size | (used ? kUsed : 0);
    block->previous_size = previous_size;
    block->requested = requested;
    block->check = checksum(block);
}

inline void* payload_of(Block* block) {
    return reinterpret_cast<uint8_t*>(block) + kHeaderSize;
}

inline unsigned long long ull(uint64_t value) {
    return static_cast<unsigned long long>(value);
}

}  // namespace heap_block

}  // namespace kernel::mm
