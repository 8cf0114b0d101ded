// Multiboot2 boot-information layout and a parser that trusts none of it; pure code shared by kernel and host tests.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/error.hpp"

namespace kernel::multiboot {

// EAX holds this on entry when a Multiboot2 loader started us.
inline constexpr uint32_t kBootMagic = 0x36d76289;

// The MBI and every tag in it start on this boundary.
inline constexpr size_t kInfoAlignment = 8;

enum class TagType : uint32_t {
    End = 0,
    CommandLine = 1,
    BootLoaderName = 2,
    Module = 3,
    BasicMemInfo = 4,
    BootDevice = 5,
    MemoryMap = 6,
    VbeInfo = 7,
    Framebuffer = 8,
    ElfSections = 9,
    Apm = 10,
    Efi32SystemTable = 11,
    Efi64SystemTable = 12,
    Smbios = 13,
    AcpiOldRsdp = 14,
    AcpiNewRsdp = 15,
    Network = 16,
    EfiMemoryMap = 17,
    EfiBootServicesNotTerminated = 18,
    Efi32ImageHandle = 19,
    Efi64ImageHandle = 20,
    LoadBaseAddress = 21,
};

enum class FramebufferType : uint8_t {
    Indexed = 0,
    Rgb = 1,
    EgaText = 2,
};

// Memory-map entry type for RAM the kernel may use; every other value is off limits.
inline constexpr uint32_t kMemoryAvailable = 1;
// The firmware's ACPI memory: tables the OS may reclaim, and storage it must keep (NVS).
inline constexpr uint32_t kMemoryAcpiReclaimable = 3;
inline constexpr uint32_t kMemoryAcpiNvs = 4;

// ---- Wire layout. The parser never dereferences these in place: it copies them out of the byte stream. ----

struct InfoHeader {
    uint32_t total_size;
    uint32_t reserved;
};
static_assert(sizeof(InfoHeader) == 8);

struct TagHeader {
    uint32_t type;
    uint32_t size;
};
static_assert(sizeof(TagHeader) == 8);

// Smallest well-formed MBI: the header plus an end tag.
inline constexpr size_t kMinimumTotalSize = sizeof(InfoHeader) + sizeof(TagHeader);

// Command line and boot loader name: a NUL-terminated string follows the header.
inline constexpr size_t kStringTagTextOffset = sizeof(TagHeader);

struct ModuleTag {
    TagHeader header;
    uint32_t module_start;
    uint32_t module_end;
    // A NUL-terminated string follows.
};
static_assert(sizeof(ModuleTag) == 16);

struct BasicMemInfoTag {
    TagHeader header;
    uint32_t mem_lower_kib;
    uint32_t mem_upper_kib;
};
static_assert(sizeof(BasicMemInfoTag) == 16);

struct MemoryMapTag {
    TagHeader header;
    uint32_t entry_size;
    uint32_t entry_version;
    // Entries of entry_size bytes follow; entry_size may grow in later spec versions.
};
static_assert(sizeof(MemoryMapTag) == 16);

struct MemoryMapEntry {
    uint64_t base;
    uint64_t length;
    uint32_t type;
    uint32_t reserved;
};
static_assert(sizeof(MemoryMapEntry) == 24);
static_assert(offsetof(MemoryMapEntry, length) == 8 && offsetof(MemoryMapEntry, type) == 16);

struct FramebufferTagCommon {
    TagHeader header;
    uint64_t address;
    uint32_t pitch;
    uint32_t width;
    uint32_t height;
    uint8_t bpp;
    uint8_t type;
    uint16_t reserved;
};
static_assert(sizeof(FramebufferTagCommon) == 32);
static_assert(offsetof(FramebufferTagCommon, address) == 8 && offsetof(FramebufferTagCommon, pitch) == 16);
static_assert(offsetof(FramebufferTagCommon, bpp) == 28 && offsetof(FramebufferTagCommon, type) == 29);

// Colour info for FramebufferType::Rgb, directly after the common part.
struct FramebufferRgbFields {
    uint8_t red_position;
    uint8_t red_size;
    uint8_t green_position;
    uint8_t green_size;
    uint8_t blue_position;
    uint8_t blue_size;
};
static_assert(sizeof(FramebufferRgbFields) == 6);

// Colour info for FramebufferType::Indexed. The spec text says the count is u32, but GRUB (the producer we
// boot with) writes a u16 and packs the palette right after it, so we follow GRUB.
using FramebufferPaletteCount = uint16_t;
struct FramebufferPaletteColor {
    uint8_t red;
    uint8_t green;
    uint8_t blue;
};
static_assert(sizeof(FramebufferPaletteColor) == 3);
inline constexpr size_t kFramebufferPaletteOffset = sizeof(FramebufferTagCommon) + sizeof(FramebufferPaletteCount);

// ---- Parsed view. Pointers inside it point into the MBI, which must outlive it. ----

// Guaranteed: data[length] == '\0' and the whole string lies inside its tag.
struct StringRef {
    const char* data = nullptr;
    size_t length = 0;
};

struct MemoryRegion {
    uint64_t base = 0;
    uint64_t length = 0;
    uint32_t type = 0;

    [[nodiscard]] constexpr bool is_available() const { return type == kMemoryAvailable; }
    [[nodiscard]] constexpr bool is_acpi() const { return type == kMemoryAcpiReclaimable || type == kMemoryAcpiNvs; }
};

// A validated memory-map tag: every entry lies inside the tag and no region wraps past 2^64.
class MemoryMap {
public:
    constexpr MemoryMap() = default;
    constexpr MemoryMap(const uint8_t* tag, size_t entry_size, size_t count)
        : m_tag(tag), m_entry_size(entry_size), m_count(count) {}
    // The view of a tag the parser has already validated.
    [[nodiscard]] static MemoryMap of_tag(const uint8_t* tag);

    [[nodiscard]] constexpr const uint8_t* tag() const { return m_tag; }
    [[nodiscard]] constexpr size_t count() const { return m_count; }
    // Out-of-range indices give an all-zero region rather than reading outside the tag.
    [[nodiscard]] MemoryRegion region(size_t index) const;

private:
    const uint8_t* m_tag = nullptr;
    size_t m_entry_size = 0;
    size_t m_count = 0;
};

struct Framebuffer {
    uint64_t address = 0;
    uint32_t pitch = 0;
    uint32_t width = 0;
    uint32_t height = 0;
    uint8_t bpp = 0;
    FramebufferType type = FramebufferType::Indexed;
    // Only meaningful for FramebufferType::Rgb.
    uint8_t red_position = 0;
    uint8_t red_size = 0;
    uint8_t green_position = 0;
    uint8_t green_size = 0;
    uint8_t blue_position = 0;
    uint8_t blue_size = 0;
    // Only meaningful for FramebufferType::Indexed; the palette itself was bounds-checked.
    uint16_t palette_colors = 0;
};

// When a tag type appears more than once the first one wins; later ones are still validated.
// A boot module as the loader placed it: physical range and its string.
struct Module {
    uint32_t start = 0;
    uint32_t end = 0;  // exclusive
    StringRef name;
};
// Modules beyond this many are counted but not kept; the memory they lie in
// is still known (BootInfo::unkept_modules), so it is never handed out.
inline constexpr size_t kMaxModules = 32;

// A physical range [start, end); empty when start == end.
struct PhysicalSpan32 {
    uint32_t start = 0;
    uint32_t end = 0;
};

struct BootInfo {
    bool has_loader_name = false;
    StringRef loader_name;
    bool has_command_line = false;
    StringRef command_line;
    bool has_memory_map = false;
    MemoryMap memory_map;
    uint64_t usable_memory_bytes = 0;  // Sum of available regions, saturating at UINT64_MAX.
    uint32_t memory_map_entries = 0;
    bool has_basic_meminfo = false;
    uint32_t mem_lower_kib = 0;
    uint32_t mem_upper_kib = 0;
    bool has_framebuffer = false;
    Framebuffer framebuffer;
    // The RSDP copy of tag 15 (ACPI 2.0+) when there is one, else of tag 14
    // (ACPI 1.0): acpi_rsdp_size bytes at acpi_rsdp, inside the boot information.
    bool has_acpi_rsdp = false;
    bool acpi_rsdp_is_new = false;
    const uint8_t* acpi_rsdp = nullptr;
    uint32_t acpi_rsdp_size = 0;
    uint32_t module_count = 0;      // Every module tag counts, duplicates included.
    Module modules[kMaxModules];    // The first kMaxModules of them.
    PhysicalSpan32 unkept_modules;  // Lowest start to highest end of the modules past those.
    uint32_t tag_count = 0;         // Tags before the end tag, known or not.
};

// available_bytes is how much the caller guarantees is readable at mbi; nothing past it, or past
// total_size, is ever read.
// Errors are the Error::Multiboot* ones.
[[nodiscard]] ErrorOr<BootInfo> parse_boot_info(const void* mbi, size_t available_bytes);

template <typename Visitor>
void for_each_memory_region(const MemoryMap& map, Visitor&& visit) {
    for (size_t i = 0; i < map.count(); ++i) visit(map.region(i));
}

template <typename Visitor>
void for_each_memory_region(const BootInfo& info, Visitor&& visit) {
    for_each_memory_region(info.memory_map, visit);
}

}  // namespace kernel::multiboot
