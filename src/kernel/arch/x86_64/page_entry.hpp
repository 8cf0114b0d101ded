// x86-64 page-table entries as the CPU reads them (Intel SDM vol. 3, 4.5 and
// 11.12): entry bits, the table itself, and the PAT layout the kernel
// programs so each cache mode has an index the entry bits can name.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "addr/address.hpp"
#include "x86_constants.hpp"

namespace kernel::arch {

using mm::kPageSize;
// Values the boot assembly uses too come from x86_constants.hpp (src/boot/meson.build).
inline constexpr uint64_t kLargePageSize = LARGE_PAGE_SIZE;  // a page-directory leaf
inline constexpr uint64_t kHugePageSize = 1ull << 30;        // a PDPT leaf, where CPUID says so
inline constexpr size_t kPageTableEntries = PAGE_TABLE_ENTRIES;

inline constexpr uint64_t kPtePresent = PTE_PRESENT;
inline constexpr uint64_t kPteWritable = PTE_WRITABLE;
inline constexpr uint64_t kPteWriteThrough = 1ull << 3;  // PWT: bit 0 of the PAT index
inline constexpr uint64_t kPteCacheDisable = 1ull << 4;  // PCD: bit 1 of the PAT index
inline constexpr uint64_t kPteLarge = PTE_LARGE;         // in a PD or PDPT: the entry maps a page
// Bit 2 of the PAT index sits where the page size bit would be in a 4 KiB
// entry, and just above it in a 2 MiB or 1 GiB one.
inline constexpr uint64_t kPtePatSmall = 1ull << 7;
inline constexpr uint64_t kPtePatLarge = 1ull << 12;
// Reserved (a #PF on use) unless EFER.NXE is set: only set when it is.
inline constexpr uint64_t kPteNoExecute = 1ull << 63;
inline constexpr uint64_t kPteAddressMask = 0x000F'FFFF'FFFF'F000ull;
// The architecture's limit on physical addresses (MAXPHYADDR is at most 52).
inline constexpr uint64_t kMaxPhysicalAddress = 1ull << 52;

struct alignas(kPageSize) PageTable {
    uint64_t entries[kPageTableEntries];
};
static_assert(sizeof(PageTable) == kPageSize, "a page table fills exactly one page");
static_assert(sizeof(PageTable::entries[0]) == PTE_SIZE);

// No writable+executable choice exists: W^X holds by construction. Without
// NX hardware, ReadOnly and ReadWrite pages are executable all the same.
enum class PageAccess : uint8_t { ReadOnly, ReadWrite, ReadExecute };

enum class CacheMode : uint8_t {
    WriteBack,       // RAM
    WriteCombining,  // framebuffers
    Uncached,        // MMIO registers
    WriteThrough,
};

// The PAT the kernel writes to IA32_PAT. Index = PAT << 2 | PCD << 1 | PWT.
// Indices 0, 2 and 3 keep their power-on meaning and 1 turns from WT into WC,
// so an entry made before the MSR is written is already safe: UC is UC, and
// WC is merely WT until then. Index 7 (WT) is the one that needs the PAT bit.
//   index  0   1   2    3   4   5   6    7
//   type   WB  WC  UC-  UC  WB  WC  UC-  WT
inline constexpr uint32_t kMsrPat = 0x277;
inline constexpr uint8_t kMemoryTypeUncached = 0x00;
inline constexpr uint8_t kMemoryTypeWriteCombining = 0x01;
inline constexpr uint8_t kMemoryTypeWriteThrough = 0x04;
inline constexpr uint8_t kMemoryTypeWriteBack = 0x06;
inline constexpr uint8_t kMemoryTypeUncachedMinus = 0x07;
inline constexpr uint8_t kPatLayout[8] = {
    kMemoryTypeWriteBack, kMemoryTypeWriteCombining, kMemoryTypeUncachedMinus, kMemoryTypeUncached,
    kMemoryTypeWriteBack, kMemoryTypeWriteCombining, kMemoryTypeUncachedMinus, kMemoryTypeWriteThrough,
};
constexpr uint64_t pat_msr_value() {
    uint64_t value = 0;
    for (unsigned index = 0; index < 8; ++index) value |= uint64_t{kPatLayout[index]} << (8 * index);
    return value;
}
static_assert(pat_msr_value() == 0x0407'0106'0007'0106ull);

// The PAT index each cache mode is mapped through.
constexpr unsigned pat_index(CacheMode mode) {
    switch (mode) {
    case CacheMode::WriteBack: return 0;
    case CacheMode::WriteCombining: return 1;
    case CacheMode::Uncached: return 3;
    case CacheMode::WriteThrough: return 7;
    }
    return 3;
}

// Sizes are counted in 4 KiB pages, so a 2 MiB mapping counts 512.
struct WalkStats {
    uint64_t mapped_pages = 0;
    uint64_t writable_executable_pages = 0;
};

}  // namespace kernel::arch
