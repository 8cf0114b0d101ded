// Copies what the kernel uses out of BootInfo into the boot record, field by
// field, once; the memory map stays where the loader put it.
#include "multiboot/boot_record.hpp"

namespace kernel::multiboot {

static_assert(boot::kMaxModules == kMaxModules, "the record keeps every module the parser keeps");

namespace {

// The record's reader for the map: `source` is the memory-map tag the
// parser validated.
boot::MemoryRegion read_region(const void* source, size_t index) {
    const MemoryRegion region = MemoryMap::of_tag(static_cast<const uint8_t*>(source)).region(index);
    return {region.base, region.length, region.is_available(), region.is_acpi()};
}

boot::FramebufferKind kind_of(FramebufferType type) {
    switch (type) {
    case FramebufferType::Indexed: return boot::FramebufferKind::Indexed;
    case FramebufferType::Rgb: return boot::FramebufferKind::Rgb;
    case FramebufferType::EgaText: return boot::FramebufferKind::EgaText;
    }
    return boot::FramebufferKind::Indexed;  // the parser refuses every other type
}

boot::Framebuffer framebuffer_of(const Framebuffer& fb) {
    boot::Framebuffer out;
    out.address = fb.address;
    out.pitch = fb.pitch;
    out.width = fb.width;
    out.height = fb.height;
    out.bpp = fb.bpp;
    out.kind = kind_of(fb.type);
    out.red_position = fb.red_position;
    out.red_size = fb.red_size;
    out.green_position = fb.green_position;
    out.green_size = fb.green_size;
    out.blue_position = fb.blue_position;
    out.blue_size = fb.blue_size;
    return out;
}

boot::PhysicalRange range_of(uint32_t start, uint32_t end) {
    return {start, uint64_t{end} - start};
}

}  // namespace

boot::BootRecord to_boot_record(const BootInfo& info, boot::PhysicalRange kernel_image,
                                boot::PhysicalRange boot_information) {
    boot::BootRecord record;
    record.loader_name = info.has_loader_name ? info.loader_name.data : nullptr;
    record.command_line = info.has_command_line ? info.command_line.data : nullptr;
    record.has_memory_map = info.has_memory_map;
    if (info.has_memory_map)
        record.memory_map = boot::MemoryMap(read_region, info.memory_map.tag(), info.memory_map.count());
    record.usable_memory_bytes = info.usable_memory_bytes;
    record.has_framebuffer = info.has_framebuffer;
    if (info.has_framebuffer) record.framebuffer = framebuffer_of(info.framebuffer);
    record.module_count = info.module_count;
    for (size_t i = 0; i < info.module_count && i < kMaxModules; ++i)
        record.modules[i] = {range_of(info.modules[i].start, info.modules[i].end), info.modules[i].name.data};
    record.unkept_modules = range_of(info.unkept_modules.start, info.unkept_modules.end);
    if (info.has_acpi_rsdp) {
        record.rsdp = info.acpi_rsdp;
        record.rsdp_size = info.acpi_rsdp_size;
    }
    record.kernel_image = kernel_image;
    record.boot_information = boot_information;
    return record;
}

}  // namespace kernel::multiboot
