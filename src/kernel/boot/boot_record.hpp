// mink's own record of what the loader handed over, filled once where the
// loader's data is validated (multiboot/) and read by every layer below
// main. Plain types only: a second loader would fill the same record.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace kernel::boot {

// A span of physical memory; size 0 means nothing.
struct PhysicalRange {
    uint64_t base = 0;
    uint64_t size = 0;
};

// One entry of the firmware's memory map.
struct MemoryRegion {
    uint64_t base = 0;
    uint64_t length = 0;
    bool usable = false;  // RAM the kernel may use; every other kind is off limits
    // The firmware's ACPI memory: tables the OS may reclaim once read, or
    // storage the firmware keeps (NVS). Never handed out, but the direct map
    // shows it, so the tables can be read.
    bool acpi = false;
};

// The firmware's memory map, read in place where the loader left it (it may
// hold thousands of entries, so it is not copied): `read` decodes entry
// `index` of `source`, whatever the loader's layout.
class MemoryMap {
public:
    using Reader = MemoryRegion (*)(const void* source, size_t index);

    constexpr MemoryMap() = default;
    constexpr MemoryMap(Reader read, const void* source, size_t count)
        : m_read(read), m_source(source), m_count(count) {}

    [[nodiscard]] constexpr size_t count() const { return m_count; }
    // Out-of-range indices give an empty region.
    [[nodiscard]] MemoryRegion region(size_t index) const {
        return index < m_count ? m_read(m_source, index) : MemoryRegion{};
    }

private:
    Reader m_read = nullptr;
    const void* m_source = nullptr;
    size_t m_count = 0;
};

enum class FramebufferKind : uint8_t {
    Indexed,  // a palette: not drawn on
    Rgb,      // a linear framebuffer
    EgaText,  // VGA text cells
};

struct Framebuffer {
    uint64_t address = 0;  // physical; anywhere in 64 bits
    uint32_t pitch = 0;    // bytes per row
    uint32_t width = 0;    // pixels, or characters for text
    uint32_t height = 0;
    uint8_t bpp = 0;
    FramebufferKind kind = FramebufferKind::Indexed;
    // Only meaningful for FramebufferKind::Rgb.
    uint8_t red_position = 0;
    uint8_t red_size = 0;
    uint8_t green_position = 0;
    uint8_t green_size = 0;
    uint8_t blue_position = 0;
    uint8_t blue_size = 0;

    [[nodiscard]] constexpr uint64_t size() const { return uint64_t{pitch} * height; }
};

// A boot module: its physical memory and its string (never null).
struct Module {
    PhysicalRange memory;
    const char* name = "";
};
// Modules beyond this many are counted but not kept; the memory they lie in
// is still known (BootRecord::unkept_modules), so it is never handed out.
inline constexpr size_t kMaxModules = 32;

// Strings and bytes point into the loader's data, which stays mapped in the
// direct map (its range is boot_information, mapped even where the memory
// map calls it reserved; the modules' ranges likewise).
struct BootRecord {
    const char* loader_name = nullptr;   // null when the loader gave none
    const char* command_line = nullptr;  // null when the loader gave none

    bool has_memory_map = false;
    MemoryMap memory_map;
    uint64_t usable_memory_bytes = 0;  // the usable regions' sum, saturating at UINT64_MAX

    bool has_framebuffer = false;
    Framebuffer framebuffer;

    uint32_t module_count = 0;     // every module, kept or not
    Module modules[kMaxModules];   // the first kMaxModules of them
    PhysicalRange unkept_modules;  // lowest start to highest end of those past kMaxModules

    // The ACPI RSDP as the loader copied it (ACPI 2.0+ when there is one):
    // rsdp_size bytes at rsdp; null when the loader gave none.
    const uint8_t* rsdp = nullptr;
    uint32_t rsdp_size = 0;

    PhysicalRange kernel_image;      // where the loader put the image, .bss included
    PhysicalRange boot_information;  // the loader's own data, which the record points into
};

}  // namespace kernel::boot
