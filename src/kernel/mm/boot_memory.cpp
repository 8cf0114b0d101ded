// Reads the boot record's memory map (and framebuffer) for the frame allocator.
#include "mm/boot_memory.hpp"

namespace kernel::mm {

namespace {

size_t memory_map_entries(const boot::BootRecord& boot) {
    return boot.has_memory_map ? boot.memory_map.count() : 0;
}

size_t kept_modules(const boot::BootRecord& boot) {
    return boot.module_count < boot::kMaxModules ? boot.module_count : boot::kMaxModules;
}

PhysicalRange physical(boot::PhysicalRange range) {
    return {PhysicalAddress(range.base), range.size};
}

}  // namespace

size_t module_range_count(const boot::BootRecord& boot) {
    return kept_modules(boot) + (boot.unkept_modules.size > 0 ? 1 : 0);
}

PhysicalRange module_range(const boot::BootRecord& boot, size_t index) {
    if (index >= kept_modules(boot)) return physical(boot.unkept_modules);
    return physical(boot.modules[index].memory);
}

size_t BootMemoryRegions::count() const {
    return memory_map_entries(m_boot) + module_range_count(m_boot) + (m_boot.has_framebuffer ? 1 : 0);
}

FirmwareRegion BootMemoryRegions::region(size_t index) const {
    const size_t entries = memory_map_entries(m_boot);
    if (index < entries) {
        const boot::MemoryRegion region = m_boot.memory_map.region(index);
        return {region.base, region.length, region.usable};
    }
    index -= entries;
    if (index < module_range_count(m_boot)) {
        const PhysicalRange module = module_range(m_boot, index);
        return {module.base.value(), module.size, false};
    }
    if (index == module_range_count(m_boot) && m_boot.has_framebuffer)
        return {m_boot.framebuffer.address, m_boot.framebuffer.size(), false};
    return {};
}

ErrorOr<void> init_frame_allocator(FrameAllocator& allocator, const boot::BootRecord& boot,
                                   lib::Span<const PhysicalRange> reserved, const FrameAllocatorLimits& limits) {
    const BootMemoryRegions regions(boot);
    return allocator.init(regions, reserved, limits);
}

}  // namespace kernel::mm
