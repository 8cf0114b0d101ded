// The page-table builder and walkers: pure table manipulation, no CR3.
#include "arch/x86_64/page_table.hpp"

namespace kernel::arch {

namespace {

constexpr unsigned kLevels = 4;  // PML4 = 4, PDPT = 3, PD = 2, PT = 1
constexpr unsigned kIndexBits = 9;
// Intermediate entries allow everything; the leaf decides.
constexpr uint64_t kTableEntryFlags = kPtePresent | kPteWritable;

constexpr uint64_t level_page_size(unsigned level) {
    return kPageSize << (kIndexBits * (level - 1));
}

constexpr size_t index_at(uint64_t virtual_address, unsigned level) {
    return (virtual_address >> (12 + kIndexBits * (level - 1))) & (kPageTableEntries - 1);
}

constexpr bool is_canonical(uint64_t address) {
    const uint64_t upper = address >> 47;
    return upper == 0 || upper == (1ull << 17) - 1;
}

PageTable* table_at(uint64_t entry) {
    return reinterpret_cast<PageTable*>(entry & kPteAddressMask);
}

bool is_leaf(uint64_t entry, unsigned level) {
    return level == 1 || (entry & kPteLarge) != 0;
}

uint64_t leaf_address(uint64_t entry, unsigned level) {
    return entry & kPteAddressMask & ~(level_page_size(level) - 1);
}

void walk_table(const PageTable& table, unsigned level, bool writable, bool executable, bool no_execute_enabled,
                WalkStats& stats) {
    for (uint64_t entry : table.entries) {
        if ((entry & kPtePresent) == 0) continue;
        const bool entry_writable = writable && (entry & kPteWritable) != 0;
        const bool entry_executable = executable && (!no_execute_enabled || (entry & kPteNoExecute) == 0);
        if (is_leaf(entry, level)) {
            const uint64_t pages = level_page_size(level) / kPageSize;
            stats.mapped_pages += pages;
            if (entry_writable && entry_executable) stats.writable_executable_pages += pages;
        } else {
            walk_table(*table_at(entry), level - 1, entry_writable, entry_executable, no_execute_enabled, stats);
        }
    }
}

}  // namespace

const char* to_string(MapError error) {
    switch (error) {
    case MapError::None: return "no error";
    case MapError::Misaligned: return "address or size not page-aligned";
    case MapError::NonCanonical: return "address not canonical";
    case MapError::OutOfTables: return "page-table pool exhausted";
    }
    return "unknown error";
}

PageTableBuilder::PageTableBuilder(PageTable* pool, size_t count, bool no_execute_supported)
    : m_pool(pool), m_count(count), m_no_execute(no_execute_supported), m_root(allocate()) {}

PageTable* PageTableBuilder::allocate() {
    if (m_used == m_count) return nullptr;
    PageTable* table = &m_pool[m_used++];
    for (uint64_t& entry : table->entries) entry = 0;
    return table;
}

uint64_t PageTableBuilder::root() const {
    return reinterpret_cast<uintptr_t>(m_root);
}

uint64_t PageTableBuilder::leaf_flags(PageAccess access) const {
    uint64_t flags = kPtePresent;
    if (access == PageAccess::ReadWrite) flags |= kPteWritable;
    if (access != PageAccess::ReadExecute && m_no_execute) flags |= kPteNoExecute;
    return flags;
}

// The entry at `level` for the address, walking down from the root. Missing
// tables are made when `create`; a large page in the way is split into a
// table of smaller pages with the same flags, so its other parts stay mapped.
uint64_t* PageTableBuilder::leaf_entry(uint64_t virtual_address, unsigned level, bool create) {
    if (m_root == nullptr) return nullptr;
    PageTable* table = m_root;
    for (unsigned current = kLevels; current > level; --current) {
        uint64_t& entry = table->entries[index_at(virtual_address, current)];
        if ((entry & kPtePresent) == 0) {
            if (!create) return nullptr;
            PageTable* next = allocate();
            if (next == nullptr) return nullptr;
            entry = reinterpret_cast<uintptr_t>(next) | kTableEntryFlags;
        } else if (is_leaf(entry, current)) {
            PageTable* next = allocate();
            if (next == nullptr) return nullptr;
            const uint64_t child_size = level_page_size(current - 1);
            const uint64_t flags = (entry & ~kPteAddressMask) & ~(current - 1 == 1 ? kPteLarge : 0);
            for (size_t i = 0; i < kPageTableEntries; ++i)
                next->entries[i] = (leaf_address(entry, current) + i * child_size) | flags;
            entry = reinterpret_cast<uintptr_t>(next) | kTableEntryFlags;
        }
        table = table_at(entry);
    }
    return &table->entries[index_at(virtual_address, level)];
}

MapError PageTableBuilder::map(uint64_t virtual_address, uint64_t physical_address, uint64_t size, PageAccess access) {
    if ((virtual_address | physical_address | size) % kPageSize != 0) return MapError::Misaligned;
    if (size == 0) return MapError::None;
    if (!is_canonical(virtual_address) || !is_canonical(virtual_address + size - 1)) return MapError::NonCanonical;
    const uint64_t flags = leaf_flags(access);
    while (size > 0) {
        const bool large = (virtual_address | physical_address) % kLargePageSize == 0 && size >= kLargePageSize;
        const unsigned level = large ? 2 : 1;
        uint64_t* entry = leaf_entry(virtual_address, level, true);
        if (entry == nullptr) return MapError::OutOfTables;
        *entry = physical_address | flags | (large ? kPteLarge : 0);
        const uint64_t step = level_page_size(level);
        virtual_address += step;
        physical_address += step;
        size -= step;
    }
    return MapError::None;
}

MapError PageTableBuilder::unmap(uint64_t virtual_address, uint64_t size) {
    if ((virtual_address | size) % kPageSize != 0) return MapError::Misaligned;
    for (; size > 0; virtual_address += kPageSize, size -= kPageSize) {
        if (!translate(m_root, virtual_address, m_no_execute).present) continue;
        uint64_t* entry = leaf_entry(virtual_address, 1, false);
        if (entry == nullptr) return MapError::OutOfTables;
        *entry = 0;
    }
    return MapError::None;
}

Translation translate(const PageTable* root, uint64_t virtual_address, bool no_execute_enabled) {
    Translation result{false, 0, 0, true, true};
    if (root == nullptr || !is_canonical(virtual_address)) return {};
    const PageTable* table = root;
    for (unsigned level = kLevels; level > 0; --level) {
        const uint64_t entry = table->entries[index_at(virtual_address, level)];
        if ((entry & kPtePresent) == 0) return {};
        result.writable = result.writable && (entry & kPteWritable) != 0;
        result.executable = result.executable && (!no_execute_enabled || (entry & kPteNoExecute) == 0);
        if (is_leaf(entry, level)) {
            result.present = true;
            result.page_size = level_page_size(level);
            result.physical_address = leaf_address(entry, level) + virtual_address % result.page_size;
            return result;
        }
        table = table_at(entry);
    }
    return {};
}

WalkStats walk(const PageTable* root, bool no_execute_enabled) {
    WalkStats stats;
    if (root != nullptr) walk_table(*root, kLevels, true, true, no_execute_enabled, stats);
    return stats;
}

}  // namespace kernel::arch
