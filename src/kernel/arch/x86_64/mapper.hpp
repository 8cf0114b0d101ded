// The persistent x86-64 page-table mapper: map, unmap and change protection
// at run time, with tables taken from a FrameSource and reached through the
// direct map (never assumed identity-mapped). Pages of 4 KiB, 2 MiB and (when
// the CPU has them) 1 GiB are chosen by alignment; a large page is split when
// part of it changes, and tables left empty go back to the FrameSource.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "addr/address.hpp"
#include "addr/frame_source.hpp"
#include "arch/x86_64/page_entry.hpp"
#include "lib/error.hpp"
#include "lib/optional.hpp"

namespace kernel::arch {

struct PagingFeatures {
    bool no_execute = false;      // EFER.NXE is set: the NX bit may be used
    bool gigabyte_pages = false;  // CPUID 0x80000001 EDX bit 26
};

// The mapper's errors: Error::MapMisaligned, MapNonCanonical, MapNullPage
// (the range covers virtual page 0, which stays unmapped), MapPhysicalTooHigh
// (beyond the 52 bits an entry can hold) and OutOfFrames (for a table: what
// was done so far stays, consistent; the rest was not).

// Told about every leaf that was present and then changed or vanished (the
// kernel runs invlpg on `page`; tests record it). Null while the tables are
// not live yet.
struct TlbInvalidator {
    void (*invalidate)(void* context, mm::VirtualAddress page, uint64_t page_size) = nullptr;
    void* context = nullptr;

    void operator()(mm::VirtualAddress page, uint64_t page_size) const {
        if (invalidate != nullptr) invalidate(context, page, page_size);
    }
};

struct Mapping {
    mm::PhysicalAddress physical;  // of the translated address, not the page
    uint64_t page_size = 0;
    bool writable = false;    // every level allows writes
    bool executable = false;  // no level forbids execution (always, when NX is off)
    CacheMode cache = CacheMode::WriteBack;
};

// Read-only walks of any tables (the live ones behind CR3 too).
[[nodiscard]] lib::Optional<Mapping> translate(mm::PhysicalAddress root, mm::VirtualAddress address,
                                               bool no_execute_enabled);
[[nodiscard]] WalkStats walk(mm::PhysicalAddress root, bool no_execute_enabled);

class Mapper {
public:
    constexpr Mapper(mm::FrameSource& frames, TlbInvalidator invalidator, PagingFeatures features = {})
        : m_frames(frames), m_invalidate(invalidator), m_features(features) {}
    Mapper(const Mapper&) = delete;
    Mapper& operator=(const Mapper&) = delete;

    // For a mapper built before the CPU was asked (the kernel's, constinit):
    // only before init.
    void set_features(PagingFeatures features);
    // Takes an empty root table (the PML4). Once, before anything else.
    [[nodiscard]] ErrorOr<void> init();
    // The value for CR3.
    [[nodiscard]] mm::PhysicalAddress root() const { return m_root; }
    // Tables in use, the root included.
    [[nodiscard]] size_t table_count() const { return m_table_count; }

    // Maps [virtual_address, +size) onto [physical, +size); all page-aligned.
    // A later mapping replaces an earlier one where they overlap.
    [[nodiscard]] ErrorOr<void> map(mm::VirtualAddress virtual_address, mm::PhysicalAddress physical, uint64_t size,
                                    PageAccess access, CacheMode cache = CacheMode::WriteBack);
    // Unmapping what is not mapped is harmless.
    [[nodiscard]] ErrorOr<void> unmap(mm::VirtualAddress virtual_address, uint64_t size);
    // Changes the access of the mapped pages in the range; holes stay holes.
    [[nodiscard]] ErrorOr<void> protect(mm::VirtualAddress virtual_address, uint64_t size, PageAccess access);

    [[nodiscard]] lib::Optional<Mapping> translate(mm::VirtualAddress address) const;
    [[nodiscard]] WalkStats walk() const;

private:
    struct Path;
    // What a range update does to one leaf; returning the entry unchanged
    // leaves it alone (and unsplit).
    using LeafUpdate = uint64_t (*)(uint64_t entry, unsigned level, const void* argument);

    [[nodiscard]] ErrorOr<void> update_range(mm::VirtualAddress start, uint64_t size, LeafUpdate update,
                                             const void* argument);
    [[nodiscard]] uint64_t* descend(uint64_t address, unsigned level);
    [[nodiscard]] bool split(uint64_t& entry, unsigned level, uint64_t address);
    void replace(uint64_t& slot, unsigned level, uint64_t address, uint64_t entry);
    void release_subtree(uint64_t entry, unsigned level, uint64_t address);
    void prune(Path& path, unsigned level, uint64_t next_address, uint64_t remaining);
    [[nodiscard]] lib::Optional<mm::PhysicalAddress> allocate_table();
    void free_table(mm::PhysicalAddress table);
    [[nodiscard]] uint64_t leaf_flags(PageAccess access, CacheMode cache, unsigned level) const;

    mm::FrameSource& m_frames;
    TlbInvalidator m_invalidate;
    PagingFeatures m_features;
    mm::PhysicalAddress m_root;
    size_t m_table_count = 0;
};

}  // namespace kernel::arch
