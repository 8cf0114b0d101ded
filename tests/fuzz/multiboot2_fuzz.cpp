// libFuzzer target: arbitrary bytes into the Multiboot2 parser, with ASan watching every read it makes.
#include <cstdint>
#include <cstring>
#include <memory>

#include "multiboot/multiboot2.hpp"

namespace {

using namespace kernel::multiboot;

// Reads land here so the optimiser cannot drop them before ASan sees them.
volatile uint8_t g_sink;

void touch(const StringRef& text) {
    for (size_t i = 0; i < text.length; ++i) {
        g_sink = g_sink ^ static_cast<uint8_t>(text.data[i]);
    }
    // The parser promises a terminator right after the string.
    if (text.data[text.length] != '\0') {
        __builtin_trap();
    }
}

void exercise(const uint8_t* data, size_t size) {
    ParseResult result = parse_boot_info(data, size);
    if (!result.ok()) {
        g_sink = g_sink ^ static_cast<uint8_t>(to_string(result.error)[0]);
        return;
    }
    const BootInfo& info = result.info;
    if (info.has_command_line) {
        touch(info.command_line);
    }
    if (info.has_loader_name) {
        touch(info.loader_name);
    }
    // Walking the map again must agree with what the parser summed.
    uint32_t entries = 0;
    uint64_t usable = 0;
    for_each_memory_region(info, [&](const MemoryRegion& region) {
        ++entries;
        if (region.is_available()) {
            usable = region.length > UINT64_MAX - usable ? UINT64_MAX : usable + region.length;
        }
    });
    if (entries != info.memory_map_entries || usable != info.usable_memory_bytes) {
        __builtin_trap();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // An exact-size heap copy: aligned like a real MBI, and any read past the end hits a redzone.
    std::unique_ptr<uint8_t[]> copy(new uint8_t[size]);
    if (size != 0) {
        std::memcpy(copy.get(), data, size);
    }
    exercise(copy.get(), size);
    // libFuzzer's own buffer is usually aligned too; use it when it is, to see the parser on foreign memory.
    if (reinterpret_cast<uintptr_t>(data) % kInfoAlignment == 0) {
        exercise(data, size);
    }
    return 0;
}
