// Glue from the parsed Multiboot2 information to the frame allocator: the
// loader's memory map, with the framebuffer it describes added as reserved.
#pragma once

#include "lib/span.hpp"
#include "mm/frame_allocator.hpp"
#include "mm/usable_memory.hpp"
#include "multiboot/multiboot2.hpp"

namespace kernel::mm {

// The memory map entries, then (when the loader set one up) the framebuffer
// as one more reserved region, so its frames are never handed out even where
// the map forgets it.
class BootMemoryRegions final : public MemoryRegionList {
public:
    explicit BootMemoryRegions(const multiboot::BootInfo& info) : m_info(info) {}

    [[nodiscard]] size_t count() const override;
    [[nodiscard]] FirmwareRegion region(size_t index) const override;

private:
    const multiboot::BootInfo& m_info;
};

// `reserved` lists the rest: kernel image, boot information, modules.
[[nodiscard]] FrameAllocatorError init_frame_allocator(FrameAllocator& allocator, const multiboot::BootInfo& info,
                                                       lib::Span<const PhysicalRange> reserved,
                                                       const FrameAllocatorLimits& limits = {});

}  // namespace kernel::mm
