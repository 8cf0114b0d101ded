// x86-64 4-level page tables as data: a builder that maps ranges with W^X
// permissions into tables taken from a caller's pool, and walkers that
// translate an address or count what is mapped. Pure code, host-tested; it
// assumes a table's physical address equals its address (the kernel is
// identity-mapped; on the host the pointer value stands in for it).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/page_entry.hpp"

namespace kernel::arch {

enum class MapError : uint8_t { None, Misaligned, NonCanonical, OutOfTables };
[[nodiscard]] const char* to_string(MapError error);

class PageTableBuilder {
public:
    // Takes tables from pool[0..count); pool[0] becomes the root (PML4).
    PageTableBuilder(PageTable* pool, size_t count, bool no_execute_supported);

    // Maps [virtual_address, +size) to physical memory; all three must be
    // page-aligned. Uses 2 MiB pages where both addresses and the size allow.
    // A later mapping replaces an earlier one where they overlap.
    [[nodiscard]] MapError map(uint64_t virtual_address, uint64_t physical_address, uint64_t size, PageAccess access);
    // Makes [virtual_address, +size) fault on any access.
    [[nodiscard]] MapError unmap(uint64_t virtual_address, uint64_t size);

    // The value for CR3 (0 when the pool had no room even for the root).
    [[nodiscard]] uint64_t root() const;
    [[nodiscard]] size_t tables_used() const { return m_used; }

private:
    PageTable* allocate();
    uint64_t* leaf_entry(uint64_t virtual_address, unsigned level, bool create);
    uint64_t leaf_flags(PageAccess access) const;

    PageTable* m_pool;
    size_t m_count;
    size_t m_used = 0;
    bool m_no_execute;
    PageTable* m_root;
};

struct Translation {
    bool present = false;
    uint64_t physical_address = 0;
    uint64_t page_size = 0;
    bool writable = false;    // every level allows writes
    bool executable = false;  // no level forbids execution (always, when NX is off)
};
Translation translate(const PageTable* root, uint64_t virtual_address, bool no_execute_enabled);

WalkStats walk(const PageTable* root, bool no_execute_enabled);

}  // namespace kernel::arch
