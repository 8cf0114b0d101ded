// Which physical frames the kernel may hand out, computed from the firmware's
// memory map without any scratch memory: available entries shrunk to whole
// frames, minus every other entry (reserved wins where they overlap), minus
// the caller's reserved ranges, minus the first 1 MiB. The map may be
// unsorted and overlapping, and addresses may lie anywhere in 64 bits.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "addr/address.hpp"
#include "lib/span.hpp"

namespace kernel::mm {

// One entry of the firmware's map, as the loader reported it.
struct FirmwareRegion {
    uint64_t base = 0;
    uint64_t length = 0;
    bool available = false;
};

// The firmware's map as the allocator reads it: by index, several times over.
class MemoryRegionList {
public:
    [[nodiscard]] virtual size_t count() const = 0;
    [[nodiscard]] virtual FirmwareRegion region(size_t index) const = 0;

protected:
    ~MemoryRegionList() = default;
};

// Frame numbers (address / 4 KiB): even 2^64 is only 2^52 frames, so nothing
// computed in frames can overflow.
struct FrameSpan {
    uint64_t first = 0;
    uint64_t end = 0;  // exclusive

    [[nodiscard]] constexpr bool empty() const { return end <= first; }
    [[nodiscard]] constexpr bool contains(uint64_t frame) const { return frame >= first && frame < end; }
    [[nodiscard]] constexpr uint64_t count() const { return empty() ? 0 : end - first; }
};

// Frames wholly inside [base, base + length): what available memory offers.
FrameSpan frames_inside(uint64_t base, uint64_t length);
// Frames touched by [base, base + length): what reserved memory takes away.
FrameSpan frames_touching(uint64_t base, uint64_t length);

// Below 1 MiB lie the real-mode IVT, the BIOS data area, the EBDA and option
// ROMs; firmware maps are often wrong about them, so none of it is used.
inline constexpr uint64_t kLowMemoryEndFrame = (1ull << 20) / kPageSize;

class UsableMemory {
public:
    // Frames at or above end_frame are never usable.
    UsableMemory(const MemoryRegionList& map, lib::Span<const PhysicalRange> reserved, uint64_t end_frame);

    // Calls visit(FrameSpan) for each maximal run of usable frames, in
    // ascending order. Costs O(entries^2): fine for the thousand-odd
    // entries firmware produces, and it needs no memory.
    template <typename Visitor>
    void for_each_run(Visitor&& visit) const {
        FrameSpan run;
        for (uint64_t cursor = kLowMemoryEndFrame; cursor < m_end_frame;) {
            const Segment segment = segment_at(cursor);
            if (!segment.usable) {
                if (!run.empty()) visit(run);
                run = {};
            } else if (!run.empty() && run.end == cursor) {
                run.end = segment.end;
            } else {
                run = {cursor, segment.end};
            }
            cursor = segment.end;
        }
        if (!run.empty()) visit(run);
    }

private:
    // From some frame up to `end`, all usable or all not.
    struct Segment {
        bool usable;
        uint64_t end;
    };
    // One pass over every entry: whether `frame` is usable, and the next
    // frame where that may change.
    [[nodiscard]] Segment segment_at(uint64_t frame) const;

    const MemoryRegionList& m_map;
    lib::Span<const PhysicalRange> m_reserved;
    uint64_t m_end_frame;
};

}  // namespace kernel::mm
