// The mapper's changes to live tables. Every present leaf that changes is
// reported for invalidation before any table it lived in is given back.
#include "arch/x86_64/mapper.hpp"

#include "addr/layout.hpp"
#include "arch/x86_64/page_levels.hpp"

namespace kernel::arch {

using namespace levels;

// The tables visited on the way to one leaf, indexed by level.
struct Mapper::Path {
    PageTable* tables[kRoot + 1] = {};
    uint64_t address = 0;
};

namespace {

constexpr uint64_t min(uint64_t a, uint64_t b) {
    return a < b ? a : b;
}

// Both ends canonical and in the same half; the range does not wrap.
bool is_canonical_range(uint64_t start, uint64_t size) {
    const uint64_t last = start + (size - 1);
    return last >= start && is_canonical(start) && is_canonical(last) && (start >> 47) == (last >> 47);
}

ErrorOr<void> check_range(uint64_t start, uint64_t size) {
    if ((start | size) % kPageSize != 0) return Error::MapMisaligned;
    if (size != 0 && !is_canonical_range(start, size)) return Error::MapNonCanonical;
    return {};
}

bool is_empty(const PageTable& table) {
    for (uint64_t entry : table.entries)
        if (entry != 0) return false;
    return true;
}

uint64_t access_flags(PageAccess access, bool no_execute) {
    uint64_t flags = kPtePresent;
    if (access == PageAccess::ReadWrite) flags |= kPteWritable;
    if (access != PageAccess::ReadExecute && no_execute) flags |= kPteNoExecute;
    return flags;
}

struct ProtectArgument {
    uint64_t access_flags;
};

uint64_t clear_leaf(uint64_t, unsigned, const void*) {
    return 0;
}

uint64_t change_access(uint64_t entry, unsigned, const void* argument) {
    const uint64_t flags = static_cast<const ProtectArgument*>(argument)->access_flags;
    return (entry & ~(kPteWritable | kPteNoExecute)) | flags;
}

}  // namespace

void Mapper::set_features(PagingFeatures features) {
    KASSERT(m_root.is_null());
    m_features = features;
}

ErrorOr<void> Mapper::init() {
    KASSERT(m_root.is_null());
    const lib::Optional<mm::PhysicalAddress> root = allocate_table();
    if (!root) return Error::OutOfFrames;
    m_root = *root;
    return {};
}

lib::Optional<Mapping> Mapper::translate(mm::VirtualAddress address) const {
    return arch::translate(m_root, address, m_features.no_execute);
}

WalkStats Mapper::walk() const {
    return arch::walk(m_root, m_features.no_execute);
}

lib::Optional<mm::PhysicalAddress> Mapper::allocate_table() {
    const lib::Optional<mm::PhysicalAddress> frame = m_frames.allocate();
    if (!frame) return lib::kNone;
    KASSERT(frame->is_page_aligned());
    for (uint64_t& entry : table_at(*frame).entries) entry = 0;
    ++m_table_count;
    return frame;
}

void Mapper::free_table(mm::PhysicalAddress table) {
    --m_table_count;
    m_frames.free(table);
}

uint64_t Mapper::leaf_flags(PageAccess access, CacheMode cache, unsigned level) const {
    return access_flags(access, m_features.no_execute) | cache_bits(cache, level) | (level > 1 ? kPteLarge : 0);
}

ErrorOr<void> Mapper::map(mm::VirtualAddress virtual_address, mm::PhysicalAddress physical, uint64_t size,
                          PageAccess access, CacheMode cache) {
    KASSERT(!m_root.is_null());
    uint64_t address = virtual_address.value();
    uint64_t target = physical.value();
    TRY(check_range(address, size));
    if (target % kPageSize != 0) return Error::MapMisaligned;
    if (size == 0) return {};
    if (address < mm::layout::kNullGuardEnd.value()) return Error::MapNullPage;
    if (target >= kMaxPhysicalAddress || size > kMaxPhysicalAddress - target) return Error::MapPhysicalTooHigh;

    const unsigned largest = m_features.gigabyte_pages ? 3 : 2;
    while (size > 0) {
        unsigned level = largest;
        while (level > 1 && ((address | target) % entry_span(level) != 0 || size < entry_span(level))) --level;
        uint64_t* slot = descend(address, level);
        if (slot == nullptr) return Error::OutOfFrames;
        replace(*slot, level, address, target | leaf_flags(access, cache, level));
        address += entry_span(level);
        target += entry_span(level);
        size -= entry_span(level);
    }
    return {};
}

// The slot at `level` for the address: missing tables are made, and a large
// page in the way is split so its other parts stay mapped.
uint64_t* Mapper::descend(uint64_t address, unsigned level) {
    PageTable* table = &table_at(m_root);
    for (unsigned current = kRoot; current > level; --current) {
        uint64_t& entry = table->entries[index_at(address, current)];
        if (!is_present(entry)) {
            const lib::Optional<mm::PhysicalAddress> next = allocate_table();
            if (!next) return nullptr;
            entry = next->value() | kTableEntryFlags;
        } else if (is_leaf(entry, current) && !split(entry, current, address)) {
            return nullptr;
        }
        table = &table_of(entry);
    }
    return &table->entries[index_at(address, level)];
}

// Replaces a leaf by a table of 512 smaller leaves that map the same memory
// the same way. In a 4 KiB entry bit 7 is the PAT bit, not the size bit.
bool Mapper::split(uint64_t& entry, unsigned level, uint64_t address) {
    const lib::Optional<mm::PhysicalAddress> frame = allocate_table();
    if (!frame) return false;
    const uint64_t child_span = entry_span(level - 1);
    uint64_t flags = entry_flags(entry, level);
    if (level - 1 == 1) {
        const bool pat = (flags & kPtePatLarge) != 0;
        flags &= ~(kPteLarge | kPtePatLarge);
        if (pat) flags |= kPtePatSmall;
    }
    PageTable& children = table_at(*frame);
    const uint64_t base = leaf_address(entry, level);
    for (size_t i = 0; i < kPageTableEntries; ++i) children.entries[i] = (base + i * child_span) | flags;
    entry = frame->value() | kTableEntryFlags;
    m_invalidate(mm::VirtualAddress(address & ~(entry_span(level) - 1)), entry_span(level));
    return true;
}

// Writes a leaf; whatever was there is invalidated and, if it was a table,
// given back with everything below it.
void Mapper::replace(uint64_t& slot, unsigned level, uint64_t address, uint64_t entry) {
    const uint64_t old = slot;
    if (old == entry) return;
    slot = entry;
    if (!is_present(old)) return;
    if (is_leaf(old, level))
        m_invalidate(mm::VirtualAddress(address), entry_span(level));
    else
        release_subtree(old, level, address);
}

// Invalidates every leaf below a table entry that is no longer in use, then
// frees its tables, deepest first.
void Mapper::release_subtree(uint64_t entry, unsigned level, uint64_t address) {
    PageTable& table = table_of(entry);
    for (size_t i = 0; i < kPageTableEntries; ++i) {
        const uint64_t child = table.entries[i];
        const uint64_t child_address = address + i * entry_span(level - 1);
        if (!is_present(child)) continue;
        if (is_leaf(child, level - 1))
            m_invalidate(mm::VirtualAddress(child_address), entry_span(level - 1));
        else
            release_subtree(child, level - 1, child_address);
    }
    free_table(mm::PhysicalAddress(entry & kPteAddressMask));
}

ErrorOr<void> Mapper::unmap(mm::VirtualAddress virtual_address, uint64_t size) {
    TRY(check_range(virtual_address.value(), size));
    return update_range(virtual_address, size, clear_leaf, nullptr);
}

ErrorOr<void> Mapper::protect(mm::VirtualAddress virtual_address, uint64_t size, PageAccess access) {
    TRY(check_range(virtual_address.value(), size));
    const ProtectArgument argument{access_flags(access, m_features.no_execute)};
    return update_range(virtual_address, size, change_access, &argument);
}

// Visits each present leaf in the range once: holes are skipped a whole
// entry at a time, a leaf the range covers only in part is split first.
ErrorOr<void> Mapper::update_range(mm::VirtualAddress start, uint64_t size, LeafUpdate update, const void* argument) {
    KASSERT(!m_root.is_null());
    uint64_t address = start.value();
    uint64_t remaining = size;
    while (remaining > 0) {
        Path path;
        path.address = address;
        path.tables[kRoot] = &table_at(m_root);
        unsigned level = kRoot;
        uint64_t step = 0;
        while (step == 0) {
            uint64_t& entry = path.tables[level]->entries[index_at(address, level)];
            const uint64_t span = entry_span(level);
            const uint64_t offset = address % span;
            if (!is_present(entry)) {
                step = span - offset;
            } else if (!is_leaf(entry, level)) {
                path.tables[--level] = &table_of(entry);
            } else if (const uint64_t updated = update(entry, level, argument); updated == entry) {
                step = span - offset;
            } else if (offset != 0 || remaining < span) {
                if (!split(entry, level, address)) return Error::OutOfFrames;
                path.tables[--level] = &table_of(entry);
            } else {
                entry = updated;
                m_invalidate(mm::VirtualAddress(address), span);
                step = span;
            }
        }
        step = min(step, remaining);
        address += step;
        remaining -= step;
        prune(path, level, address, remaining);
    }
    return {};
}

// Frees the tables on the path that the walk is leaving for good and that
// hold nothing any more; the root stays.
void Mapper::prune(Path& path, unsigned level, uint64_t next_address, uint64_t remaining) {
    for (unsigned current = level; current < kRoot; ++current) {
        const bool leaving = remaining == 0 || next_address % entry_span(current + 1) == 0;
        if (!leaving || !is_empty(*path.tables[current])) return;
        uint64_t& parent = path.tables[current + 1]->entries[index_at(path.address, current + 1)];
        const mm::PhysicalAddress table(parent & kPteAddressMask);
        parent = 0;
        free_table(table);
    }
}

}  // namespace kernel::arch
