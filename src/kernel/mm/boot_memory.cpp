// Reads the loader's memory map (and framebuffer) for the frame allocator.
#include "mm/boot_memory.hpp"

namespace kernel::mm {

namespace {

size_t memory_map_entries(const multiboot::BootInfo& info) {
    return info.has_memory_map ? info.memory_map.count() : 0;
}

size_t kept_modules(const multiboot::BootInfo& info) {
    return info.module_count < multiboot::kMaxModules ? info.module_count : multiboot::kMaxModules;
}

bool has_unkept_modules(const multiboot::BootInfo& info) {
    return info.unkept_modules.end > info.unkept_modules.start;
}

}  // namespace

size_t module_range_count(const multiboot::BootInfo& info) {
    return kept_modules(info) + (has_unkept_modules(info) ? 1 : 0);
}

PhysicalRange module_range(const multiboot::BootInfo& info, size_t index) {
    if (index >= kept_modules(info)) {
        const multiboot::PhysicalSpan32 span = info.unkept_modules;
        return {PhysicalAddress(span.start), uint64_t{span.end} - span.start};
    }
    const multiboot::Module& module = info.modules[index];
    return {PhysicalAddress(module.start), uint64_t{module.end} - module.start};
}

size_t BootMemoryRegions::count() const {
    return memory_map_entries(m_info) + module_range_count(m_info) + (m_info.has_framebuffer ? 1 : 0);
}

FirmwareRegion BootMemoryRegions::region(size_t index) const {
    const size_t entries = memory_map_entries(m_info);
    if (index < entries) {
        const multiboot::MemoryRegion region = m_info.memory_map.region(index);
        return {region.base, region.length, region.is_available()};
    }
    index -= entries;
    if (index < module_range_count(m_info)) {
        const PhysicalRange module = module_range(m_info, index);
        return {module.base.value(), module.size, false};
    }
    const multiboot::Framebuffer& framebuffer = m_info.framebuffer;
    if (index == module_range_count(m_info) && m_info.has_framebuffer)
        return {framebuffer.address, uint64_t{framebuffer.pitch} * framebuffer.height, false};
    return {};
}

FrameAllocatorError init_frame_allocator(FrameAllocator& allocator, const multiboot::BootInfo& info,
                                         lib::Span<const PhysicalRange> reserved, const FrameAllocatorLimits& limits) {
    const BootMemoryRegions regions(info);
    return allocator.init(regions, reserved, limits);
}

}  // namespace kernel::mm
