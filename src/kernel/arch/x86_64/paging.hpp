// What the CPU adds to the page-table format (mapper.hpp): which paging
// features it has, the PAT behind the cache modes, loading a set of tables
// and dropping stale TLB entries. The memory manager (mm/) decides what to map.
#pragma once

#include <stdint.h>

#include "addr/address.hpp"
#include "arch/x86_64/mapper.hpp"

namespace kernel::arch {

// NX (when the trampoline enabled it) and 1 GiB pages (when CPUID has them).
[[nodiscard]] PagingFeatures paging_features();

// Whether page tables may use the NX bit: the trampoline sets EFER.NXE only
// when CPUID reports NX.
[[nodiscard]] bool no_execute_enabled();

// Writes the PAT that page_entry.hpp documents, so CacheMode::WriteCombining
// is WC; false (and nothing written) on a CPU without a PAT.
[[nodiscard]] bool program_pat();

// Makes `root` the live tables (CR3), which flushes every non-global entry.
void load_page_tables(mm::PhysicalAddress root);

// invlpg for one page of the live tables; the mapper calls it through
// kLiveTables for every leaf that changes.
void invalidate_page(void* context, mm::VirtualAddress page, uint64_t page_size);
inline constexpr TlbInvalidator kLiveTables{invalidate_page, nullptr};

}  // namespace kernel::arch
