// Walks a Multiboot2 boot-information block byte by byte, checking every size before it is used.
#include "multiboot/multiboot2.hpp"

namespace kernel::multiboot {
namespace {

// Input may be arbitrary bytes at any alignment, so fields are copied out rather than read through a struct pointer.
template <typename T>
T load(const uint8_t* bytes, size_t offset) {
    T value;
    __builtin_memcpy(&value, bytes + offset, sizeof(T));
    return value;
}

// size is at most UINT32_MAX, so the 64-bit sum cannot wrap.
constexpr uint64_t align_up(uint32_t size) {
    return (static_cast<uint64_t>(size) + (kInfoAlignment - 1)) & ~static_cast<uint64_t>(kInfoAlignment - 1);
}

constexpr uint64_t saturating_add(uint64_t a, uint64_t b) {
    return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

// One tag whose declared size is already known to lie inside total_size.
struct TagView {
    uint32_t type;
    const uint8_t* bytes;
    size_t size;
};

ErrorOr<void> read_string(const TagView& tag, size_t offset, StringRef& out) {
    for (size_t i = offset; i < tag.size; ++i) {
        if (tag.bytes[i] == 0) {
            out = {reinterpret_cast<const char*>(tag.bytes + offset), i - offset};
            return {};
        }
    }
    return Error::MultibootStringNotTerminated;
}

ErrorOr<void> decode_string_tag(const TagView& tag, bool& has, StringRef& out) {
    StringRef text;
    TRY(read_string(tag, kStringTagTextOffset, text));
    if (!has) {
        has = true;
        out = text;
    }
    return {};
}

ErrorOr<void> decode_module(const TagView& tag, BootInfo& info) {
    if (tag.size < sizeof(ModuleTag)) return Error::MultibootModuleTagTooShort;
    auto module = load<ModuleTag>(tag.bytes, 0);
    if (module.module_end < module.module_start) return Error::MultibootModuleBadRange;
    StringRef name;
    TRY(read_string(tag, sizeof(ModuleTag), name));
    if (info.module_count < kMaxModules) {
        info.modules[info.module_count] = {module.module_start, module.module_end, name};
    } else {
        PhysicalSpan32& span = info.unkept_modules;
        const bool first = span.start == span.end;
        if (first || module.module_start < span.start) span.start = module.module_start;
        if (first || module.module_end > span.end) span.end = module.module_end;
    }
    ++info.module_count;
    return {};
}

ErrorOr<void> decode_basic_meminfo(const TagView& tag, BootInfo& info) {
    if (tag.size < sizeof(BasicMemInfoTag)) return Error::MultibootBasicMemInfoTagTooShort;
    if (!info.has_basic_meminfo) {
        auto meminfo = load<BasicMemInfoTag>(tag.bytes, 0);
        info.has_basic_meminfo = true;
        info.mem_lower_kib = meminfo.mem_lower_kib;
        info.mem_upper_kib = meminfo.mem_upper_kib;
    }
    return {};
}

// Entry geometry first: region() relies on every entry lying inside the tag.
ErrorOr<void> make_memory_map(const TagView& tag, MemoryMap& out) {
    if (tag.size < sizeof(MemoryMapTag)) return Error::MultibootMemoryMapTagTooShort;
    auto header = load<MemoryMapTag>(tag.bytes, 0);
    if (header.entry_size < sizeof(MemoryMapEntry)) return Error::MultibootMemoryMapEntrySizeTooSmall;
    if (header.entry_size % kInfoAlignment != 0) return Error::MultibootMemoryMapEntrySizeMisaligned;
    size_t entry_bytes = tag.size - sizeof(MemoryMapTag);
    if (entry_bytes % header.entry_size != 0) return Error::MultibootMemoryMapEntriesOverrun;
    out = MemoryMap(tag.bytes, header.entry_size, entry_bytes / header.entry_size);
    return {};
}

ErrorOr<void> decode_memory_map(const TagView& tag, BootInfo& info) {
    MemoryMap map;
    TRY(make_memory_map(tag, map));
    uint64_t usable = 0;
    for (size_t i = 0; i < map.count(); ++i) {
        MemoryRegion region = map.region(i);
        // A region ending past 2^64 would make every later end-address computation wrong.
        if (region.length > UINT64_MAX - region.base) return Error::MultibootMemoryRegionWraps;
        if (region.is_available()) usable = saturating_add(usable, region.length);
    }
    if (!info.has_memory_map) {
        info.has_memory_map = true;
        info.memory_map = map;
        info.usable_memory_bytes = usable;
        // entry_size >= 24 and tag size < 2^32, so the count fits.
        info.memory_map_entries = static_cast<uint32_t>(map.count());
    }
    return {};
}

ErrorOr<void> decode_framebuffer_colors(const TagView& tag, Framebuffer& out) {
    switch (out.type) {
    case FramebufferType::Indexed: {
        if (tag.size < kFramebufferPaletteOffset) return Error::MultibootFramebufferTagTooShort;
        out.palette_colors = load<FramebufferPaletteCount>(tag.bytes, sizeof(FramebufferTagCommon));
        size_t palette_bytes = size_t{out.palette_colors} * sizeof(FramebufferPaletteColor);
        if (palette_bytes > tag.size - kFramebufferPaletteOffset) return Error::MultibootFramebufferPaletteOverrun;
        return {};
    }
    case FramebufferType::Rgb: {
        if (tag.size < sizeof(FramebufferTagCommon) + sizeof(FramebufferRgbFields))
            return Error::MultibootFramebufferTagTooShort;
        auto fields = load<FramebufferRgbFields>(tag.bytes, sizeof(FramebufferTagCommon));
        out.red_position = fields.red_position;
        out.red_size = fields.red_size;
        out.green_position = fields.green_position;
        out.green_size = fields.green_size;
        out.blue_position = fields.blue_position;
        out.blue_size = fields.blue_size;
        return {};
    }
    case FramebufferType::EgaText: return {};
    }
    return Error::MultibootFramebufferUnknownType;
}

ErrorOr<void> decode_framebuffer(const TagView& tag, BootInfo& info) {
    if (tag.size < sizeof(FramebufferTagCommon)) return Error::MultibootFramebufferTagTooShort;
    auto common = load<FramebufferTagCommon>(tag.bytes, 0);
    Framebuffer framebuffer;
    framebuffer.address = common.address;
    framebuffer.pitch = common.pitch;
    framebuffer.width = common.width;
    framebuffer.height = common.height;
    framebuffer.bpp = common.bpp;
    // The enum has a fixed underlying type, so any byte is a valid value; the switch below rejects unknown ones.
    framebuffer.type = static_cast<FramebufferType>(common.type);
    TRY(decode_framebuffer_colors(tag, framebuffer));
    if (!info.has_framebuffer) {
        info.has_framebuffer = true;
        info.framebuffer = framebuffer;
    }
    return {};
}

// The RSDP is copied in whole after the tag header; the ACPI parser checks
// its contents. An ACPI 2.0+ copy wins over a 1.0 one in any order.
ErrorOr<void> decode_acpi_rsdp(const TagView& tag, bool is_new, BootInfo& info) {
    if (info.has_acpi_rsdp && (info.acpi_rsdp_is_new || !is_new)) return {};
    info.has_acpi_rsdp = true;
    info.acpi_rsdp_is_new = is_new;
    info.acpi_rsdp = tag.bytes + sizeof(TagHeader);
    info.acpi_rsdp_size = static_cast<uint32_t>(tag.size - sizeof(TagHeader));
    return {};
}

ErrorOr<void> decode_tag(const TagView& tag, BootInfo& info) {
    switch (static_cast<TagType>(tag.type)) {
    case TagType::CommandLine: return decode_string_tag(tag, info.has_command_line, info.command_line);
    case TagType::BootLoaderName: return decode_string_tag(tag, info.has_loader_name, info.loader_name);
    case TagType::Module: return decode_module(tag, info);
    case TagType::BasicMemInfo: return decode_basic_meminfo(tag, info);
    case TagType::MemoryMap: return decode_memory_map(tag, info);
    case TagType::Framebuffer: return decode_framebuffer(tag, info);
    case TagType::AcpiOldRsdp: return decode_acpi_rsdp(tag, false, info);
    case TagType::AcpiNewRsdp: return decode_acpi_rsdp(tag, true, info);
    default:
        // Unknown and undecoded tags are legal; their size was already checked.
        return {};
    }
}

ErrorOr<size_t> read_total_size(const void* mbi, size_t available_bytes) {
    if (mbi == nullptr) return Error::MultibootNullPointer;
    if (reinterpret_cast<uintptr_t>(mbi) % kInfoAlignment != 0) return Error::MultibootMisaligned;
    if (available_bytes < sizeof(InfoHeader)) return Error::MultibootBufferTooSmall;
    auto header = load<InfoHeader>(static_cast<const uint8_t*>(mbi), 0);
    if (header.total_size < kMinimumTotalSize) return Error::MultibootTotalSizeTooSmall;
    if (header.total_size > available_bytes) return Error::MultibootTotalSizeExceedsBuffer;
    return size_t{header.total_size};
}

// Invariant: offset <= total_size, so total_size - offset never wraps.
ErrorOr<void> walk_tags(const uint8_t* bytes, size_t total_size, BootInfo& info) {
    size_t offset = sizeof(InfoHeader);
    while (total_size - offset >= sizeof(TagHeader)) {
        auto header = load<TagHeader>(bytes, offset);
        size_t remaining = total_size - offset;
        if (header.type == static_cast<uint32_t>(TagType::End))
            return header.size == sizeof(TagHeader) ? ErrorOr<void>{} : Error::MultibootBadEndTag;
        if (header.size < sizeof(TagHeader)) return Error::MultibootTagTooShort;
        if (header.size > remaining) return Error::MultibootTagOverrunsEnd;
        ++info.tag_count;
        TRY(decode_tag({header.type, bytes + offset, header.size}, info));
        uint64_t step = align_up(header.size);
        if (step >= remaining) break;
        offset += static_cast<size_t>(step);
    }
    return Error::MultibootMissingEndTag;
}

}  // namespace

MemoryRegion MemoryMap::region(size_t index) const {
    if (index >= m_count) return {};
    auto entry = load<MemoryMapEntry>(m_tag, sizeof(MemoryMapTag) + index * m_entry_size);
    return {entry.base, entry.length, entry.type};
}

MemoryMap MemoryMap::of_tag(const uint8_t* tag) {
    const auto header = load<MemoryMapTag>(tag, 0);
    return MemoryMap(tag, header.entry_size, (header.header.size - sizeof(MemoryMapTag)) / header.entry_size);
}

ErrorOr<BootInfo> parse_boot_info(const void* mbi, size_t available_bytes) {
    const size_t total_size = TRY(read_total_size(mbi, available_bytes));
    BootInfo info;
    TRY(walk_tags(static_cast<const uint8_t*>(mbi), total_size, info));
    return info;
}

}  // namespace kernel::multiboot
