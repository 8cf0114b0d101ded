// How to read one level of the 4-level hierarchy: what an entry at a level
// maps, where its address and flags are, which cache mode its bits name.
// Shared by the mapper and the walkers; tables are reached through the
// direct map.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "addr/direct_map.hpp"
#include "arch/x86_64/page_entry.hpp"

namespace kernel::arch::levels {

inline constexpr unsigned kRoot = 4;  // PML4 = 4, PDPT = 3, PD = 2, PT = 1
inline constexpr unsigned kIndexBits = 9;
// Intermediate entries allow everything; the leaf decides.
inline constexpr uint64_t kTableEntryFlags = kPtePresent | kPteWritable;

// The span one entry at `level` covers.
constexpr uint64_t entry_span(unsigned level) {
    return kPageSize << (kIndexBits * (level - 1));
}

constexpr size_t index_at(uint64_t address, unsigned level) {
    return (address >> (12 + kIndexBits * (level - 1))) & (kPageTableEntries - 1);
}

constexpr bool is_canonical(uint64_t address) {
    const uint64_t upper = address >> 47;
    return upper == 0 || upper == (1ull << 17) - 1;
}

constexpr bool is_present(uint64_t entry) {
    return (entry & kPtePresent) != 0;
}

// A PML4 entry never maps a page: its bit 7 is reserved.
constexpr bool is_leaf(uint64_t entry, unsigned level) {
    return level == 1 || (level < kRoot && (entry & kPteLarge) != 0);
}

// In a large leaf the bits below the page's alignment hold the PAT bit, not address.
constexpr uint64_t leaf_address_mask(unsigned level) {
    return kPteAddressMask & ~(entry_span(level) - 1);
}

constexpr uint64_t leaf_address(uint64_t entry, unsigned level) {
    return entry & leaf_address_mask(level);
}

constexpr uint64_t entry_flags(uint64_t entry, unsigned level) {
    return entry & ~leaf_address_mask(level);
}

constexpr uint64_t pat_bit(unsigned level) {
    return level == 1 ? kPtePatSmall : kPtePatLarge;
}

constexpr uint64_t cache_bits(CacheMode mode, unsigned level) {
    const unsigned index = pat_index(mode);
    return ((index & 1) != 0 ? kPteWriteThrough : 0) | ((index & 2) != 0 ? kPteCacheDisable : 0) |
           ((index & 4) != 0 ? pat_bit(level) : 0);
}

// Every PAT index the kernel programs names one of the modes (UC- counts as uncached).
constexpr CacheMode cache_mode(uint64_t entry, unsigned level) {
    const unsigned index = ((entry & kPteWriteThrough) != 0 ? 1 : 0) | ((entry & kPteCacheDisable) != 0 ? 2 : 0) |
                           ((entry & pat_bit(level)) != 0 ? 4 : 0);
    constexpr CacheMode kModes[8] = {CacheMode::WriteBack, CacheMode::WriteCombining, CacheMode::Uncached,
                                     CacheMode::Uncached,  CacheMode::WriteBack,      CacheMode::WriteCombining,
                                     CacheMode::Uncached,  CacheMode::WriteThrough};
    return kModes[index];
}

inline PageTable& table_at(mm::PhysicalAddress table) {
    return *mm::to_pointer<PageTable>(table);
}

inline PageTable& table_of(uint64_t entry) {
    return table_at(mm::PhysicalAddress(entry & kPteAddressMask));
}

}  // namespace kernel::arch::levels
