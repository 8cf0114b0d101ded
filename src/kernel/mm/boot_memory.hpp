// Glue from the parsed Multiboot2 information to the frame allocator: the
// loader's memory map, with the modules and the framebuffer it describes
// added as reserved.
#pragma once

#include "lib/span.hpp"
#include "mm/frame_allocator.hpp"
#include "mm/usable_memory.hpp"
#include "multiboot/multiboot2.hpp"

namespace kernel::mm {

// The boot modules' memory: each module kept in BootInfo, then one range
// spanning those past kMaxModules (present only when there are such).
[[nodiscard]] size_t module_range_count(const multiboot::BootInfo& info);
[[nodiscard]] PhysicalRange module_range(const multiboot::BootInfo& info, size_t index);

// The memory map entries, then the modules and (when the loader set one up)
// the framebuffer as more reserved regions, so their frames are never handed
// out even where the map forgets them.
class BootMemoryRegions final : public MemoryRegionList {
public:
    explicit BootMemoryRegions(const multiboot::BootInfo& info) : m_info(info) {}

    [[nodiscard]] size_t count() const override;
    [[nodiscard]] FirmwareRegion region(size_t index) const override;

private:
    const multiboot::BootInfo& m_info;
};

// `reserved` lists the rest: kernel image, boot information.
[[nodiscard]] FrameAllocatorError init_frame_allocator(FrameAllocator& allocator, const multiboot::BootInfo& info,
                                                       lib::Span<const PhysicalRange> reserved,
                                                       const FrameAllocatorLimits& limits = {});

}  // namespace kernel::mm
