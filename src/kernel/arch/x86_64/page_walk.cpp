// Read-only walks of page tables: translate one address, count what is mapped.
#include "arch/x86_64/mapper.hpp"
#include "arch/x86_64/page_levels.hpp"

namespace kernel::arch {

using namespace levels;

namespace {

void walk_table(const PageTable& table, unsigned level, bool writable, bool executable, bool no_execute_enabled,
                WalkStats& stats) {
    for (uint64_t entry : table.entries) {
        if (!is_present(entry)) continue;
        const bool entry_writable = writable && (entry & kPteWritable) != 0;
        const bool entry_executable = executable && (!no_execute_enabled || (entry & kPteNoExecute) == 0);
        if (is_leaf(entry, level)) {
            const uint64_t pages = entry_span(level) / kPageSize;
            stats.mapped_pages += pages;
            if (entry_writable && entry_executable) stats.writable_executable_pages += pages;
        } else {
            walk_table(table_of(entry), level - 1, entry_writable, entry_executable, no_execute_enabled, stats);
        }
    }
}

}  // namespace

lib::Optional<Mapping> translate(mm::PhysicalAddress root, mm::VirtualAddress address, bool no_execute_enabled) {
    if (root.is_null() || !is_canonical(address.value())) return lib::kNone;
    Mapping result;
    result.writable = true;
    result.executable = true;
    const PageTable* table = &table_at(root);
    for (unsigned level = kRoot; level > 0; --level) {
        const uint64_t entry = table->entries[index_at(address.value(), level)];
        if (!is_present(entry)) return lib::kNone;
        result.writable = result.writable && (entry & kPteWritable) != 0;
        result.executable = result.executable && (!no_execute_enabled || (entry & kPteNoExecute) == 0);
        if (is_leaf(entry, level)) {
            result.page_size = entry_span(level);
            result.physical = mm::PhysicalAddress(leaf_address(entry, level) + address.value() % result.page_size);
            result.cache = cache_mode(entry, level);
            return result;
        }
        table = &table_of(entry);
    }
    return lib::kNone;
}

WalkStats walk(mm::PhysicalAddress root, bool no_execute_enabled) {
    WalkStats stats;
    if (!root.is_null()) walk_table(table_at(root), kRoot, true, true, no_execute_enabled, stats);
    return stats;
}

}  // namespace kernel::arch
