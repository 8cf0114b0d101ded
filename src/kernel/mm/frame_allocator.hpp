// The physical frame allocator: hands out the 4 KiB frames the firmware's
// map offers and nothing else claims. Its bookkeeping is one bitmap per run of
// usable frames, kept in usable memory itself and reached through the direct
// map, so sparse RAM (a bank at 1 TiB) costs bits only for frames that exist.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "addr/address.hpp"
#include "addr/frame_source.hpp"
#include "addr/layout.hpp"
#include "lib/error.hpp"
#include "lib/optional.hpp"
#include "lib/span.hpp"
#include "mm/usable_memory.hpp"

namespace kernel::mm {

struct FrameAllocatorLimits {
    // Frames at or above this are never handed out: the direct map, through
    // which the kernel reaches every frame it owns, stops there.
    PhysicalAddress usable_end = layout::kDirectMapLimit;
    // The bookkeeping is placed inside this window: the part of physical
    // memory the direct map already shows when init runs.
    PhysicalAddress bookkeeping_begin{0};
    PhysicalAddress bookkeeping_end = layout::kDirectMapLimit;
};

class FrameAllocator final : public FrameSource {
public:
    constexpr FrameAllocator() = default;
    FrameAllocator(const FrameAllocator&) = delete;
    FrameAllocator& operator=(const FrameAllocator&) = delete;

    // Once. `reserved` lists what must never be handed out although the map
    // calls it available: the kernel image, the boot information, the
    // modules, the framebuffer. Everything below 1 MiB is left alone too.
    [[nodiscard]] ErrorOr<void> init(const MemoryRegionList& map, lib::Span<const PhysicalRange> reserved,
                                     const FrameAllocatorLimits& limits = {});

    [[nodiscard]] lib::Optional<PhysicalAddress> allocate() override;
    // Panics, naming the reason, on a double free, a misaligned address or a
    // frame this allocator never managed.
    void free(PhysicalAddress frame) override;

    [[nodiscard]] uint64_t free_frames() const { return m_free_frames; }
    // Frames it manages, its own bookkeeping not included.
    [[nodiscard]] uint64_t total_frames() const { return m_total_frames; }
    [[nodiscard]] PhysicalRange bookkeeping() const { return m_bookkeeping; }
    [[nodiscard]] size_t run_count() const { return m_run_count; }
    // Run `index` of usable memory, ascending; the bookkeeping lies in one.
    [[nodiscard]] PhysicalRange run(size_t index) const;
    [[nodiscard]] bool is_allocated(PhysicalAddress frame) const;

    // What one run of usable frames looks like in the bookkeeping area.
    struct Run {
        uint64_t first_frame;
        uint64_t frame_count;
        uint64_t free_count;
        uint64_t search_word;  // where the next search for a free bit starts
        uint64_t* bitmap;      // bit set: in use (or past the run's end)
    };

private:
    [[nodiscard]] ErrorOr<void> place_bookkeeping(const UsableMemory& usable, const FrameAllocatorLimits& limits);
    void build_runs(const UsableMemory& usable);
    [[nodiscard]] Run* find_run(uint64_t frame) const;
    [[nodiscard]] lib::Optional<uint64_t> take_from(Run& run);

    Run* m_runs = nullptr;
    size_t m_run_count = 0;
    size_t m_current_run = 0;
    uint64_t m_total_frames = 0;
    uint64_t m_free_frames = 0;
    PhysicalRange m_bookkeeping;
};

}  // namespace kernel::mm
