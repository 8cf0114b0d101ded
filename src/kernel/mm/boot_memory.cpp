// Reads the loader's memory map (and framebuffer) for the frame allocator.
#include "mm/boot_memory.hpp"

namespace kernel::mm {

size_t BootMemoryRegions::count() const {
    const size_t entries = m_info.has_memory_map ? m_info.memory_map.count() : 0;
    return entries + (m_info.has_framebuffer ? 1 : 0);
}

FirmwareRegion BootMemoryRegions::region(size_t index) const {
    const size_t entries = m_info.has_memory_map ? m_info.memory_map.count() : 0;
    if (index < entries) {
        const multiboot::MemoryRegion region = m_info.memory_map.region(index);
        return {region.base, region.length, region.is_available()};
    }
    const multiboot::Framebuffer& framebuffer = m_info.framebuffer;
    if (index == entries && m_info.has_framebuffer)
        return {framebuffer.address, uint64_t{framebuffer.pitch} * framebuffer.height, false};
    return {};
}

FrameAllocatorError init_frame_allocator(FrameAllocator& allocator, const multiboot::BootInfo& info,
                                         lib::Span<const PhysicalRange> reserved, const FrameAllocatorLimits& limits) {
    const BootMemoryRegions regions(info);
    return allocator.init(regions, reserved, limits);
}

}  // namespace kernel::mm
