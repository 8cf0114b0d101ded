// libFuzzer target: arbitrary bytes into the Multiboot2 parser, with ASan watching every read it makes; a parsed
// memory map then goes through the boot record into a frame allocator, checked against an independent reference.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>
#include <vector>

#include "../host/mm_test_support.hpp"
#include "mm/boot_memory.hpp"
#include "mm/frame_allocator.hpp"
#include "multiboot/boot_record.hpp"
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

void check(bool condition) {
    if (!condition) __builtin_trap();
}

// The allocator must offer exactly the reference's frames (less its own
// bookkeeping), never one twice, and count every frame back in.
void exercise_frame_allocator(const kernel::boot::BootRecord& boot) {
    using namespace kernel::mm;
    // 1 MiB of host memory stands in for physical [1 MiB, 2 MiB), the only
    // place the bookkeeping may go; made once, it outlives every input.
    static mm_test::FakeRam ram(1ull << 20, 1ull << 20);
    set_direct_map_base(VirtualAddress(reinterpret_cast<uintptr_t>(ram.host(ram.base())) - ram.base()));
    const std::vector<PhysicalRange> reserved{{PhysicalAddress(0x10'0000), 0x3000}, {PhysicalAddress(0x7FFF'F000), 1}};
    FrameAllocatorLimits limits;
    limits.bookkeeping_begin = PhysicalAddress(ram.base());
    limits.bookkeeping_end = PhysicalAddress(ram.end());
    FrameAllocator allocator;
    const kernel::ErrorOr<void> result =
        init_frame_allocator(allocator, boot, {reserved.data(), reserved.size()}, limits);

    const BootMemoryRegions regions(boot);
    std::vector<FirmwareRegion> map;
    for (size_t i = 0; i < regions.count(); ++i) map.push_back(regions.region(i));
    const auto runs = mm_test::reference_runs(map, reserved, limits.usable_end.page_number());
    check((result.is_error() && result.error() == kernel::Error::NoUsableMemory) == runs.empty());
    if (result.is_error()) return;
    check(ram.contains(allocator.bookkeeping().base.value(), allocator.bookkeeping().size));
    check(allocator.run_count() == runs.size());
    for (size_t i = 0; i < runs.size(); ++i) {
        check(allocator.run(i).base.page_number() == runs[i].first &&
              allocator.run(i).size / kPageSize == runs[i].count());
    }
    check(allocator.total_frames() + allocator.bookkeeping().size / kPageSize == mm_test::count_frames(runs));
    std::set<uint64_t> taken;
    for (int i = 0; i < 2048; ++i) {
        const auto frame = allocator.allocate();
        if (!frame) break;
        check(frame->is_page_aligned() && frame->value() >= (1ull << 20) && taken.insert(frame->value()).second);
        check(!frames_touching(allocator.bookkeeping().base.value(), allocator.bookkeeping().size)
                   .contains(frame->page_number()));
    }
    check(taken.size() == 2048 || allocator.free_frames() == 0);
    for (uint64_t frame : taken) allocator.free(PhysicalAddress(frame));
    check(allocator.free_frames() == allocator.total_frames());
}

void exercise(const uint8_t* data, size_t size) {
    const kernel::ErrorOr<BootInfo> result = parse_boot_info(data, size);
    if (result.is_error()) {
        g_sink = g_sink ^ static_cast<uint8_t>(to_string(result.error())[0]);
        return;
    }
    const BootInfo& info = *result;
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
    const kernel::boot::BootRecord boot = to_boot_record(info, {}, {});
    // The record reads the map in place and must see the same regions.
    check(boot.memory_map.count() == (info.has_memory_map ? info.memory_map.count() : 0));
    for (size_t i = 0; i < boot.memory_map.count(); ++i) {
        check(boot.memory_map.region(i).base == info.memory_map.region(i).base &&
              boot.memory_map.region(i).usable == info.memory_map.region(i).is_available());
    }
    exercise_frame_allocator(boot);
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
