// The sweep behind UsableMemory: usability only changes where some entry
// starts or ends, so it is decided once per such boundary.
#include "mm/usable_memory.hpp"

namespace kernel::mm {

namespace {

constexpr uint64_t kFramesInAddressSpace = 1ull << (64 - kPageShift);

// The last byte of a non-empty range, clamped at the top of the address space.
uint64_t last_byte(uint64_t base, uint64_t length) {
    uint64_t last;
    if (__builtin_add_overflow(base, length - 1, &last)) return UINT64_MAX;
    return last;
}

// The frame after the one holding `last`, without computing last + 1.
uint64_t frame_after(uint64_t last) {
    return (last >> kPageShift) + 1;
}

void consider(FrameSpan span, uint64_t frame, uint64_t& best) {
    if (span.empty()) return;
    if (span.first > frame && span.first < best) best = span.first;
    if (span.end > frame && span.end < best) best = span.end;
}

}  // namespace

FrameSpan frames_inside(uint64_t base, uint64_t length) {
    if (length == 0) return {};
    const uint64_t last = last_byte(base, length);
    const uint64_t first = (base >> kPageShift) + (base % kPageSize != 0 ? 1 : 0);
    // Only a frame whose last byte lies inside counts.
    const uint64_t end = last % kPageSize == kPageSize - 1 ? frame_after(last) : last >> kPageShift;
    return {first, end};
}

FrameSpan frames_touching(uint64_t base, uint64_t length) {
    if (length == 0) return {};
    return {base >> kPageShift, frame_after(last_byte(base, length))};
}

UsableMemory::UsableMemory(const MemoryRegionList& map, lib::Span<const PhysicalRange> reserved, uint64_t end_frame)
    : m_map(map),
      m_reserved(reserved),
      m_end_frame(end_frame < kFramesInAddressSpace ? end_frame : kFramesInAddressSpace) {}

UsableMemory::Segment UsableMemory::segment_at(uint64_t frame) const {
    uint64_t end = m_end_frame;
    bool available = false;
    bool reserved = frame < kLowMemoryEndFrame;
    for (size_t i = 0; i < m_map.count(); ++i) {
        const FirmwareRegion region = m_map.region(i);
        const FrameSpan span =
            region.available ? frames_inside(region.base, region.length) : frames_touching(region.base, region.length);
        consider(span, frame, end);
        (region.available ? available : reserved) |= span.contains(frame);
    }
    for (const PhysicalRange& range : m_reserved) {
        const FrameSpan span = frames_touching(range.base.value(), range.size);
        consider(span, frame, end);
        reserved |= span.contains(frame);
    }
    return {available && !reserved && frame < m_end_frame, end};
}

}  // namespace kernel::mm
