// Glue from the boot record to the frame allocator: the firmware's memory
// map, with the modules and the framebuffer the loader describes added as
// reserved.
#pragma once

#include "boot/boot_record.hpp"
#include "lib/error.hpp"
#include "lib/span.hpp"
#include "mm/frame_allocator.hpp"
#include "mm/usable_memory.hpp"

namespace kernel::mm {

// The boot modules' memory: each module kept in the record, then one range
// spanning those past boot::kMaxModules (present only when there are such).
[[nodiscard]] size_t module_range_count(const boot::BootRecord& boot);
[[nodiscard]] PhysicalRange module_range(const boot::BootRecord& boot, size_t index);

// The memory map entries, then the modules and (when the loader set one up)
// the framebuffer as more reserved regions, so their frames are never handed
// out even where the map forgets them.
class BootMemoryRegions final : public MemoryRegionList {
public:
    explicit BootMemoryRegions(const boot::BootRecord& boot) : m_boot(boot) {}

    [[nodiscard]] size_t count() const override;
    [[nodiscard]] FirmwareRegion region(size_t index) const override;

private:
    const boot::BootRecord& m_boot;
};

// `reserved` lists the rest: kernel image, boot information.
[[nodiscard]] ErrorOr<void> init_frame_allocator(FrameAllocator& allocator, const boot::BootRecord& boot,
                                                 lib::Span<const PhysicalRange> reserved,
                                                 const FrameAllocatorLimits& limits = {});

}  // namespace kernel::mm
