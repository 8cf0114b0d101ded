// Host tests for the direct map's plan (mm/direct_map_plan.hpp): from crafted
// memory maps and GRUB's real ones, it shows RAM and the ACPI ranges, the boot
// information and the modules, and nothing reserved, no framebuffer, nothing
// past the direct map's limit; every frame the allocator can hand out is in it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "mm/boot_memory.hpp"
#include "mm/direct_map_plan.hpp"
#include "multiboot/boot_record.hpp"
#include "multiboot/multiboot2.hpp"

using namespace kernel;
using mm::kPageSize;

namespace {

constexpr uint64_t kKiB = 1ull << 10;
constexpr uint64_t kMiB = 1ull << 20;
constexpr uint64_t kGiB = 1ull << 30;
constexpr uint64_t kTiB = 1ull << 40;

// [begin, end) in bytes; a list of them is kept sorted and merged.
using Span = std::pair<uint64_t, uint64_t>;
using Spans = std::vector<Span>;

Spans merged(Spans spans) {
    std::sort(spans.begin(), spans.end());
    Spans out;
    for (const Span& span : spans) {
        if (!out.empty() && span.first <= out.back().second)
            out.back().second = std::max(out.back().second, span.second);
        else
            out.push_back(span);
    }
    return out;
}

// What the plan shows, merged; also checks every range it hands over.
Spans plan_of(const boot::BootRecord& boot) {
    Spans spans;
    mm::for_each_direct_map_range(boot, [&](mm::PhysicalRange range) {
        EXPECT_TRUE(range.base.is_page_aligned());
        EXPECT_EQ(range.size % kPageSize, 0u);
        EXPECT_NE(range.size, 0u);
        EXPECT_LE(range.base.value() + range.size, mm::layout::kDirectMapLimit.value());
        spans.push_back({range.base.value(), range.base.value() + range.size});
    });
    return merged(spans);
}

uint64_t bytes_in(const Spans& spans) {
    uint64_t total = 0;
    for (const Span& span : spans) total += span.second - span.first;
    return total;
}

bool covers(const Spans& spans, uint64_t begin, uint64_t end) {
    return std::any_of(spans.begin(), spans.end(),
                       [&](const Span& span) { return span.first <= begin && end <= span.second; });
}

bool touches(const Spans& spans, uint64_t begin, uint64_t end) {
    return std::any_of(spans.begin(), spans.end(),
                       [&](const Span& span) { return span.first < end && begin < span.second; });
}

// A boot record over a memory map held in a vector (which must outlive it).
boot::MemoryRegion read_vector(const void* source, size_t index) {
    return static_cast<const std::vector<boot::MemoryRegion>*>(source)->at(index);
}

boot::BootRecord record_with(const std::vector<boot::MemoryRegion>& map) {
    boot::BootRecord boot;
    boot.has_memory_map = true;
    boot.memory_map = boot::MemoryMap(read_vector, &map, map.size());
    return boot;
}

boot::MemoryRegion ram(uint64_t base, uint64_t length) {
    return {base, length, true, false};
}
boot::MemoryRegion acpi(uint64_t base, uint64_t length) {
    return {base, length, false, true};
}
boot::MemoryRegion reserved(uint64_t base, uint64_t length) {
    return {base, length, false, false};
}

// What QEMU's SeaBIOS reports for a 256 MiB guest (q35 adds the 12 GiB
// HyperTransport hole at 1012 GiB, reserved).
const std::vector<boot::MemoryRegion> kQemuBios256MiB = {
    ram(0, 0x9FC00),
    reserved(0x9FC00, 0x400),
    reserved(0xF0000, 0x10000),
    ram(1 * kMiB, 0xFFE0000 - 1 * kMiB),
    reserved(0xFFE0000, 0x20000),
    reserved(0xFFFC0000, 0x40000),
    reserved(1012 * kGiB, 12 * kGiB),
};

// A capture from tests/data, kept 8-byte aligned as the parser wants it.
std::vector<uint64_t> read_capture(const char* name) {
    std::ifstream file(std::string(MINK_TEST_DATA_DIR) + "/" + name, std::ios::binary);
    EXPECT_TRUE(file) << name << " is missing: see tests/data/README.md";
    const std::vector<char> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    std::vector<uint64_t> mbi((bytes.size() + 7) / 8);
    std::memcpy(mbi.data(), bytes.data(), bytes.size());
    return mbi;
}

bool shown_type(uint32_t type) {
    return type == multiboot::kMemoryAvailable || type == multiboot::kMemoryAcpiReclaimable ||
           type == multiboot::kMemoryAcpiNvs;
}

// Every frame the frame allocator could hand out lies in the plan.
void expect_every_usable_frame_shown(const boot::BootRecord& boot, const Spans& plan) {
    const mm::BootMemoryRegions regions(boot);
    const mm::UsableMemory usable(regions, {}, mm::layout::kDirectMapLimit.page_number());
    usable.for_each_run([&](mm::FrameSpan run) {
        EXPECT_TRUE(covers(plan, run.first * kPageSize, run.end * kPageSize))
            << "usable frames 0x" << std::hex << run.first << "-0x" << run.end << " are not in the direct map";
    });
}

}  // namespace

TEST(DirectMapPlan, QemuBiosShowsItsRamAndNoReservedRange) {
    boot::BootRecord boot = record_with(kQemuBios256MiB);
    boot.has_framebuffer = true;
    boot.framebuffer = {
        .address = 0xB8000, .pitch = 160, .width = 80, .height = 25, .bpp = 16, .kind = boot::FramebufferKind::EgaText};
    boot.boot_information = {0xFF00000, 0x730};  // GRUB leaves it in RAM
    const Spans plan = plan_of(boot);
    // The EBDA's partial page is shown with the RAM below it.
    EXPECT_EQ(plan, (Spans{{0, 0xA0000}, {1 * kMiB, 0xFFE0000}}));
    EXPECT_EQ(bytes_in(plan) >> 20, 255u);
    EXPECT_FALSE(touches(plan, 0xFFE0000, 4 * kGiB));
    EXPECT_FALSE(touches(plan, 1012 * kGiB, 1024 * kGiB));
    expect_every_usable_frame_shown(boot, plan);
}

TEST(DirectMapPlan, AcpiRangesAreShownOtherFirmwareRangesAreNot) {
    const std::vector<boot::MemoryRegion> map = {
        ram(1 * kMiB, 7 * kMiB),
        acpi(8 * kMiB, 64 * kKiB),
        reserved(8 * kMiB + 64 * kKiB, 1 * kMiB),
        acpi(10 * kMiB, 512 * kKiB),
        ram(11 * kMiB, 5 * kMiB),
        reserved(3 * kGiB, 256 * kMiB),
        reserved(4 * kGiB - 4 * kMiB, 4 * kMiB),
    };
    const Spans plan = plan_of(record_with(map));
    EXPECT_EQ(plan,
              (Spans{{1 * kMiB, 8 * kMiB + 64 * kKiB}, {10 * kMiB, 10 * kMiB + 512 * kKiB}, {11 * kMiB, 16 * kMiB}}));
}

// A loader may put its data where the map says reserved (or nowhere): the
// kernel reads it there, so those pages are shown, and only those.
TEST(DirectMapPlan, BootInformationAndModulesAreShownWhereverTheyLie) {
    const std::vector<boot::MemoryRegion> map = {ram(1 * kMiB, 15 * kMiB), reserved(16 * kMiB, 16 * kMiB)};
    boot::BootRecord boot = record_with(map);
    boot.boot_information = {20 * kMiB + 0x10, 0x2000};  // spans three pages
    boot.module_count = 2;
    boot.modules[0] = {{24 * kMiB, 100}, "a"};
    boot.modules[1] = {{40 * kMiB + 0x800, 0x1000}, "b"};  // outside the map, across a page boundary
    boot.unkept_modules = {28 * kMiB, 2 * kPageSize};      // counted here; the record keeps its span only
    const Spans plan = plan_of(boot);
    EXPECT_EQ(plan, (Spans{{1 * kMiB, 16 * kMiB},
                           {20 * kMiB, 20 * kMiB + 3 * kPageSize},
                           {24 * kMiB, 24 * kMiB + kPageSize},
                           {28 * kMiB, 28 * kMiB + 2 * kPageSize},
                           {40 * kMiB, 40 * kMiB + 2 * kPageSize}}));
}

// ramfb and some firmware put the framebuffer in memory the map calls RAM:
// its window maps it write-combining, so the direct map leaves it out.
TEST(DirectMapPlan, TheFramebufferIsCutOutOfRam) {
    const std::vector<boot::MemoryRegion> map = {ram(1 * kMiB, 1 * kGiB)};
    boot::BootRecord boot = record_with(map);
    boot.has_framebuffer = true;
    boot.framebuffer = {.address = 512 * kMiB,
                        .pitch = 4096,
                        .width = 1024,
                        .height = 768,
                        .bpp = 32,
                        .kind = boot::FramebufferKind::Rgb};
    const Spans plan = plan_of(boot);
    EXPECT_EQ(plan, (Spans{{1 * kMiB, 512 * kMiB}, {515 * kMiB, 1 * kGiB + 1 * kMiB}}));

    boot.framebuffer.address = 1 * kMiB;  // at the very start of the RAM: one piece is left
    EXPECT_EQ(plan_of(boot), (Spans{{4 * kMiB, 1 * kGiB + 1 * kMiB}}));
}

// OVMF with virtio-gpu hands over a framebuffer at address 0, which the
// kernel refuses: it cuts nothing, and GRUB's data in low memory stays shown.
// A real framebuffer over the boot information does not hide it either.
TEST(DirectMapPlan, TheLoadersDataIsShownWhateverTheFramebuffer) {
    const std::vector<boot::MemoryRegion> map = {ram(0, 640 * kKiB), ram(1 * kMiB, 127 * kMiB)};
    boot::BootRecord boot = record_with(map);
    boot.boot_information = {0xF000, 0x400};
    boot.has_framebuffer = true;
    boot.framebuffer = {
        .address = 0, .pitch = 5120, .width = 1280, .height = 800, .bpp = 32, .kind = boot::FramebufferKind::Rgb};
    EXPECT_EQ(plan_of(boot), (Spans{{0, 640 * kKiB}, {1 * kMiB, 128 * kMiB}}));

    boot.framebuffer.address = 0xE000;
    boot.framebuffer.pitch = 4096;
    boot.framebuffer.height = 4;
    EXPECT_EQ(plan_of(boot), (Spans{{0, 0xE000}, {0xF000, 0x10000}, {0x12000, 640 * kKiB}, {1 * kMiB, 128 * kMiB}}));
}

TEST(DirectMapPlan, PartialPagesAreShownWholeAndNothingPastTheLimit) {
    const uint64_t limit = mm::layout::kDirectMapLimit.value();
    const std::vector<boot::MemoryRegion> map = {
        ram(0x1800, 0x1000),              // two partial pages
        acpi(0x7000, 0x10),               // a few bytes
        ram(limit - 2 * kGiB, 4 * kGiB),  // across the limit: cut there
        ram(limit + 1 * kTiB, 1 * kTiB),  // wholly past it: left out
        ram(UINT64_MAX - 0xFFF, 0x1000),  // the last page of 64 bits
    };
    EXPECT_EQ(plan_of(record_with(map)), (Spans{{0x1000, 0x3000}, {0x7000, 0x8000}, {limit - 2 * kGiB, limit}}));
}

TEST(DirectMapPlan, WithoutAMemoryMapOnlyTheLoadersDataIsShown) {
    boot::BootRecord boot;
    boot.boot_information = {0x10000, 0x100};
    EXPECT_EQ(plan_of(boot), (Spans{{0x10000, 0x11000}}));
}

// What GRUB really passed under SeaBIOS and OVMF (tests/data, 128 MiB): the
// plan is the map's RAM and ACPI entries, reckoned here from the parser's
// own types, and shows none of the reserved memory.
TEST(DirectMapPlan, RealCapturesShowRamAndAcpiOnly) {
    for (const char* name : {"mbi-bios.bin", "mbi-uefi.bin"}) {
        const std::vector<uint64_t> mbi = read_capture(name);
        const ErrorOr<multiboot::BootInfo> parsed = multiboot::parse_boot_info(mbi.data(), mbi.size() * 8);
        ASSERT_FALSE(parsed.is_error()) << name;
        const boot::BootRecord boot = multiboot::to_boot_record(*parsed, {}, {});
        const Spans plan = plan_of(boot);

        Spans expected;
        uint64_t acpi_bytes = 0;
        multiboot::for_each_memory_region(*parsed, [&](const multiboot::MemoryRegion& region) {
            if (!shown_type(region.type)) return;
            if (region.type != multiboot::kMemoryAvailable) acpi_bytes += region.length;
            const uint64_t end = region.base + region.length;
            expected.push_back({region.base / kPageSize * kPageSize, (end + kPageSize - 1) / kPageSize * kPageSize});
        });
        EXPECT_EQ(plan, merged(expected)) << name;
        EXPECT_EQ(acpi_bytes > 0, std::string(name) == "mbi-uefi.bin") << name << ": only OVMF reports ACPI ranges";

        // No whole page of any other kind (reserved, firmware code, the MMIO ranges) is shown.
        multiboot::for_each_memory_region(*parsed, [&](const multiboot::MemoryRegion& region) {
            const uint64_t first = (region.base + kPageSize - 1) / kPageSize * kPageSize;
            const uint64_t end = (region.base + region.length) / kPageSize * kPageSize;
            if (shown_type(region.type) || first >= end) return;
            EXPECT_FALSE(touches(plan, first, end))
                << name << ": 0x" << std::hex << region.base << " (type " << std::dec << region.type << ") is shown";
        });
        expect_every_usable_frame_shown(boot, plan);
    }
}
