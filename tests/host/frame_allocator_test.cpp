// Host tests for the frame allocator: crafted and random memory maps checked
// against an independent reference, bookkeeping placement (sparse RAM too),
// every frame handed out once and taken back, random allocations and frees
// against a model, and panics on misuse.
#include "mm/frame_allocator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <vector>

#include "mm/boot_memory.hpp"
#include "mm_test_support.hpp"
#include "multiboot/boot_record.hpp"

using namespace kernel::mm;
using mm_test::FakeRam;
using mm_test::VectorRegions;

namespace {

constexpr uint64_t kKiB = 1ull << 10;
constexpr uint64_t kMiB = 1ull << 20;
constexpr uint64_t kGiB = 1ull << 30;
constexpr uint64_t kTiB = 1ull << 40;

FirmwareRegion available(uint64_t base, uint64_t length) {
    return {base, length, true};
}
FirmwareRegion reserved(uint64_t base, uint64_t length) {
    return {base, length, false};
}
PhysicalRange range(uint64_t base, uint64_t size) {
    return {PhysicalAddress(base), size};
}

// The bookkeeping must land inside the fake RAM: that is all the "direct map" shows.
FrameAllocatorLimits limits_for(const FakeRam& ram) {
    FrameAllocatorLimits limits;
    limits.bookkeeping_begin = PhysicalAddress(ram.base());
    limits.bookkeeping_end = PhysicalAddress(ram.end());
    return limits;
}

// Takes every frame, checking each is new, aligned and inside a reference run.
std::vector<uint64_t> allocate_all(FrameAllocator& allocator, const std::vector<FrameSpan>& runs) {
    std::vector<uint64_t> frames;
    std::set<uint64_t> seen;
    while (auto frame = allocator.allocate()) {
        EXPECT_TRUE(frame->is_page_aligned());
        EXPECT_TRUE(seen.insert(frame->value()).second) << "frame handed out twice: " << std::hex << frame->value();
        const uint64_t number = frame->page_number();
        EXPECT_TRUE(std::any_of(runs.begin(), runs.end(), [&](FrameSpan run) { return run.contains(number); }))
            << "frame outside usable memory: " << std::hex << frame->value();
        EXPECT_FALSE(
            frames_touching(allocator.bookkeeping().base.value(), allocator.bookkeeping().size).contains(number));
        frames.push_back(frame->value());
    }
    return frames;
}

// Builds from `map`, checks the runs against the reference, then allocates
// every frame and frees them all (in shuffled order), counting both ways.
void check_against_reference(const std::vector<FirmwareRegion>& map, const std::vector<PhysicalRange>& reserved_ranges,
                             const FakeRam& ram, uint64_t seed = 1) {
    VectorRegions regions(map);
    FrameAllocator allocator;
    ASSERT_EQ(allocator.init(regions, {reserved_ranges.data(), reserved_ranges.size()}, limits_for(ram)), mm_test::kOk);
    const auto runs = mm_test::reference_runs(map, reserved_ranges, layout::kDirectMapLimit.page_number());
    ASSERT_EQ(allocator.run_count(), runs.size());
    for (size_t i = 0; i < runs.size(); ++i) {
        EXPECT_EQ(allocator.run(i).base.page_number(), runs[i].first);
        EXPECT_EQ(allocator.run(i).size / kPageSize, runs[i].count());
    }
    const uint64_t bookkeeping_frames = allocator.bookkeeping().size / kPageSize;
    EXPECT_EQ(allocator.total_frames() + bookkeeping_frames, mm_test::count_frames(runs));
    EXPECT_EQ(allocator.free_frames(), allocator.total_frames());

    std::vector<uint64_t> frames = allocate_all(allocator, runs);
    EXPECT_EQ(frames.size(), allocator.total_frames());
    EXPECT_EQ(allocator.free_frames(), 0u);
    std::shuffle(frames.begin(), frames.end(), std::mt19937_64(seed));
    for (uint64_t frame : frames) allocator.free(PhysicalAddress(frame));
    EXPECT_EQ(allocator.free_frames(), allocator.total_frames());
    EXPECT_EQ(allocate_all(allocator, runs).size(), allocator.total_frames());
}

}  // namespace

TEST(FrameAllocator, OneRegionLosesOnlyTheFirstMegabyteAndItsBookkeeping) {
    FakeRam ram(0, 64 * kMiB);
    VectorRegions regions({available(0, 64 * kMiB)});
    FrameAllocator allocator;
    ASSERT_EQ(allocator.init(regions, {}, limits_for(ram)), mm_test::kOk);
    EXPECT_EQ(allocator.run_count(), 1u);
    EXPECT_EQ(allocator.run(0).base.value(), 1 * kMiB);
    // 16128 frames: one run record and 252 words of bitmap fit in one frame.
    EXPECT_EQ(allocator.bookkeeping().base.value(), 1 * kMiB);
    EXPECT_EQ(allocator.bookkeeping().size, kPageSize);
    EXPECT_EQ(allocator.total_frames(), 63 * kMiB / kPageSize - 1);
    EXPECT_TRUE(allocator.is_allocated(PhysicalAddress(1 * kMiB)));
    check_against_reference({available(0, 64 * kMiB)}, {}, ram);
}

TEST(FrameAllocator, NothingBelowOneMegabyteIsEverHandedOut) {
    FakeRam ram(1 * kMiB, 1 * kMiB);
    check_against_reference({available(0, 640 * kKiB), available(0x100000, 1 * kMiB)}, {}, ram);
    VectorRegions regions({available(0, 640 * kKiB), available(0xF0000, 0x20000)});
    FrameAllocator allocator;
    ASSERT_EQ(allocator.init(regions, {}, limits_for(ram)), mm_test::kOk);
    EXPECT_EQ(allocator.run(0).base.value(), 1 * kMiB);
    EXPECT_EQ(allocator.run(0).size, 0x10000u);
}

TEST(FrameAllocator, ReservedEntriesWinWhereTheyOverlapAvailableOnes) {
    FakeRam ram(1 * kMiB, 1 * kMiB);
    const std::vector<FirmwareRegion> map{available(0, 32 * kMiB), reserved(8 * kMiB + 100, 1 * kMiB),
                                          available(8 * kMiB, 2 * kMiB), reserved(31 * kMiB, 4 * kMiB)};
    check_against_reference(map, {}, ram);
    VectorRegions regions(map);
    FrameAllocator allocator;
    ASSERT_EQ(allocator.init(regions, {}, limits_for(ram)), mm_test::kOk);
    ASSERT_EQ(allocator.run_count(), 2u);
    EXPECT_EQ(allocator.run(0).base.value() + allocator.run(0).size, 8 * kMiB);  // the touched frame is gone
    EXPECT_EQ(allocator.run(1).base.value(), 9 * kMiB + kPageSize);
    EXPECT_EQ(allocator.run(1).base.value() + allocator.run(1).size, 31 * kMiB);
}

TEST(FrameAllocator, UnalignedAvailableEntriesKeepOnlyWholeFrames) {
    FakeRam ram(2 * kMiB, 1 * kMiB);
    const std::vector<FirmwareRegion> map{available(2 * kMiB + 1, 1 * kMiB - 2), available(5 * kMiB + 4095, 4097)};
    check_against_reference(map, {}, ram);
    VectorRegions regions(map);
    FrameAllocator allocator;
    ASSERT_EQ(allocator.init(regions, {}, limits_for(ram)), mm_test::kOk);
    EXPECT_EQ(allocator.run(0).base.value(), 2 * kMiB + kPageSize);
    EXPECT_EQ(allocator.run(0).size, 1 * kMiB - 2 * kPageSize);
    EXPECT_EQ(allocator.run(1).base.value(), 5 * kMiB + kPageSize);
    EXPECT_EQ(allocator.run(1).size, kPageSize);
}

TEST(FrameAllocator, TheOrderOfEntriesDoesNotMatter) {
    FakeRam ram(1 * kMiB, 4 * kMiB);
    std::vector<FirmwareRegion> map{available(1 * kMiB, 15 * kMiB), reserved(3 * kMiB, 1 * kMiB),
                                    available(20 * kMiB, 5 * kMiB), available(24 * kMiB, 8 * kMiB),
                                    reserved(30 * kMiB + 5, 10)};
    std::mt19937_64 random(7);
    for (int round = 0; round < 5; ++round) {
        std::shuffle(map.begin(), map.end(), random);
        check_against_reference(map, {}, ram, round);
    }
}

TEST(FrameAllocator, AThousandRandomEntriesMatchTheReference) {
    FakeRam ram(0, 1 * kGiB);
    std::mt19937_64 random(11);
    for (int round = 0; round < 3; ++round) {
        std::vector<FirmwareRegion> map;
        for (int i = 0; i < 1000; ++i) {
            const uint64_t base = random() % (1 * kGiB);
            const uint64_t length = random() % (4 * kMiB);
            map.push_back({base, length, random() % 4 != 0});
        }
        std::vector<PhysicalRange> caller;
        for (int i = 0; i < 20; ++i) caller.push_back(range(random() % (1 * kGiB), random() % (1 * kMiB)));
        check_against_reference(map, caller, ram, round);
    }
}

// Interleaved allocations and frees, as a running kernel makes them, checked
// after each step against a model: the set of frames handed out and not freed.
TEST(FrameAllocator, RandomOperationsMatchAModel) {
    FakeRam ram(1 * kMiB, 4 * kMiB);
    const std::vector<FirmwareRegion> map{available(0, 640 * kKiB), available(1 * kMiB, 15 * kMiB),
                                          reserved(9 * kMiB + 123, 2 * kMiB), available(40 * kMiB + 7, 4 * kMiB),
                                          available(6 * kGiB, 4 * kMiB)};
    const std::vector<PhysicalRange> caller{range(2 * kMiB, 1 * kMiB)};
    const auto runs = mm_test::reference_runs(map, caller, layout::kDirectMapLimit.page_number());
    // ~5,000 frames: the first half's surplus of allocations outgrows them.
    constexpr int kSteps = 20000;
    for (unsigned seed = 1; seed <= 4; ++seed) {
        VectorRegions regions(map);
        FrameAllocator allocator;
        ASSERT_EQ(allocator.init(regions, {caller.data(), caller.size()}, limits_for(ram)), mm_test::kOk);
        const uint64_t total = allocator.total_frames();
        std::vector<uint64_t> live;  // the model
        std::set<uint64_t> live_set;
        std::mt19937_64 random(seed);
        bool ran_dry = false;
        for (int step = 0; step < kSteps; ++step) {
            // Mostly allocations early on, so the allocator also runs dry and recovers.
            if (live.empty() || random() % 100 < (step < kSteps / 2 ? 80u : 40u)) {
                const auto frame = allocator.allocate();
                if (live.size() == total) {
                    ASSERT_FALSE(frame.has_value()) << "step " << step << ": a frame beyond all of them";
                    ran_dry = true;
                    continue;
                }
                ASSERT_TRUE(frame.has_value())
                    << "step " << step << ": none left with " << total - live.size() << " free";
                const uint64_t number = frame->page_number();
                ASSERT_TRUE(std::any_of(runs.begin(), runs.end(), [&](FrameSpan run) { return run.contains(number); }))
                    << "step " << step << ": outside usable memory: " << std::hex << frame->value();
                ASSERT_TRUE(live_set.insert(frame->value()).second)
                    << "step " << step << ": handed out twice: " << std::hex << frame->value();
                live.push_back(frame->value());
            } else {
                const size_t victim = random() % live.size();
                allocator.free(PhysicalAddress(live[victim]));
                live_set.erase(live[victim]);
                live[victim] = live.back();
                live.pop_back();
            }
            ASSERT_EQ(allocator.free_frames(), total - live.size()) << "step " << step;
            if (step % 997 == 0) {  // the whole model now and then: O(frames) each time
                for (uint64_t frame : live) ASSERT_TRUE(allocator.is_allocated(PhysicalAddress(frame)));
            }
        }
        EXPECT_TRUE(ran_dry) << "the sequence never took the last frame";
        for (uint64_t frame : live) allocator.free(PhysicalAddress(frame));
        EXPECT_EQ(allocator.free_frames(), total);
    }
}

TEST(FrameAllocator, MemoryAboveFourGibibytesIsUsed) {
    FakeRam ram(1 * kMiB, 1 * kMiB);
    const std::vector<FirmwareRegion> map{available(1 * kMiB, 1 * kMiB), reserved(3 * kGiB, 1 * kGiB),
                                          available(4 * kGiB, 256 * kMiB)};
    check_against_reference(map, {}, ram);
}

TEST(FrameAllocator, SparseMemoryAtOneTebibyteCostsBitsOnlyForFramesThatExist) {
    // The only RAM lies at 1 TiB: a bitmap from 0 would need 32 MiB.
    FakeRam ram(1 * kTiB, 1 * kMiB);
    const std::vector<FirmwareRegion> map{available(1 * kTiB, 256 * kMiB), reserved(0, 1 * kTiB)};
    VectorRegions regions(map);
    FrameAllocator allocator;
    ASSERT_EQ(allocator.init(regions, {}, limits_for(ram)), mm_test::kOk);
    EXPECT_EQ(allocator.bookkeeping().base.value(), 1 * kTiB);
    // 65536 bits and one run record: 8232 bytes, three frames.
    EXPECT_EQ(allocator.bookkeeping().size, 3 * kPageSize);
    EXPECT_EQ(allocator.total_frames(), 256 * kMiB / kPageSize - 3);
    check_against_reference(map, {}, ram);
}

TEST(FrameAllocator, CallerReservedRangesAreNeverHandedOut) {
    FakeRam ram(1 * kMiB, 1 * kMiB);
    const std::vector<PhysicalRange> caller{
        range(2 * kMiB, 300 * kKiB),               // kernel image
        range(0x3000'0010, 0x2000),                // boot information, unaligned
        range(0x3100'0000, 5 * kMiB + 1),          // a module
        range(0xFD00'0000, 3 * kMiB),              // framebuffer in the map's hole: harmless
        range(UINT64_MAX - kPageSize, kPageSize),  // at the very top
    };
    check_against_reference({available(0, 2 * kGiB)}, caller, ram);
}

TEST(FrameAllocator, AddressesNearTheTopOfSixtyFourBitsNeverOverflow) {
    FakeRam ram(1 * kMiB, 1 * kMiB);
    const std::vector<FirmwareRegion> map{available(1 * kMiB, 1 * kMiB),
                                          available(UINT64_MAX - 3 * kPageSize + 1, 3 * kPageSize),
                                          available(UINT64_MAX - 100, UINT64_MAX), reserved(UINT64_MAX, 1)};
    VectorRegions regions(map);
    FrameAllocatorLimits limits = limits_for(ram);
    limits.usable_end = PhysicalAddress(UINT64_MAX);
    FrameAllocator allocator;
    ASSERT_EQ(allocator.init(regions, {}, limits), mm_test::kOk);
    const auto runs = mm_test::reference_runs(map, {}, limits.usable_end.page_number());
    EXPECT_EQ(allocator.total_frames() + 1, mm_test::count_frames(runs));
    ASSERT_EQ(allocator.run_count(), 2u);
    // The last frame is both available and reserved; the two below it are usable.
    EXPECT_EQ(allocator.run(1).base.value(), UINT64_MAX - 3 * kPageSize + 1);
    EXPECT_EQ(allocator.run(1).size, 2 * kPageSize);
    // By default the direct map's reach ends it all at 64 TiB.
    FrameAllocator reachable;
    ASSERT_EQ(reachable.init(regions, {}, limits_for(ram)), mm_test::kOk);
    EXPECT_EQ(reachable.run_count(), 1u);
}

TEST(FrameAllocator, NoUsableMemoryOrNoRoomForBookkeepingAreErrors) {
    FakeRam ram(1 * kMiB, 1 * kMiB);
    VectorRegions none({available(0, 1 * kMiB), reserved(1 * kMiB, 1 * kGiB)});
    FrameAllocator allocator;
    EXPECT_EQ(allocator.init(none, {}, limits_for(ram)), kernel::Error::NoUsableMemory);
    VectorRegions empty;
    FrameAllocator from_empty;
    EXPECT_EQ(from_empty.init(empty, {}, limits_for(ram)), kernel::Error::NoUsableMemory);
    // 64 GiB needs 512 KiB of bitmap, but the window holds one 4 KiB frame.
    VectorRegions big({available(1 * kMiB, 64 * kGiB)});
    FrameAllocatorLimits limits = limits_for(ram);
    limits.bookkeeping_end = PhysicalAddress(1 * kMiB + kPageSize);
    FrameAllocator cramped;
    EXPECT_EQ(cramped.init(big, {}, limits), kernel::Error::NoRoomForBookkeeping);
    EXPECT_STREQ(to_string(kernel::Error::NoRoomForBookkeeping), "no run of usable frames can hold the bookkeeping");
    EXPECT_FALSE(cramped.allocate().has_value());
}

TEST(FrameAllocator, MisuseOfFreePanicsWithTheReason) {
    FakeRam ram(1 * kMiB, 1 * kMiB);
    VectorRegions regions({available(0, 16 * kMiB)});
    FrameAllocator allocator;
    ASSERT_EQ(allocator.init(regions, {}, limits_for(ram)), mm_test::kOk);
    const PhysicalAddress frame = allocator.allocate().value();
    allocator.free(frame);
    EXPECT_THROW(
        {
            try {
                allocator.free(frame);
            } catch (const std::runtime_error& error) {
                EXPECT_NE(std::string(error.what()).find("double free of frame"), std::string::npos);
                throw;
            }
        },
        std::runtime_error);
    EXPECT_THROW(allocator.free(PhysicalAddress(frame.value() + 8)), std::runtime_error);
    EXPECT_THROW(allocator.free(PhysicalAddress(0x1000)), std::runtime_error);       // below 1 MiB
    EXPECT_THROW(allocator.free(PhysicalAddress(64 * kMiB)), std::runtime_error);    // beyond RAM
    EXPECT_THROW(allocator.free(allocator.bookkeeping().base), std::runtime_error);  // its own bookkeeping
    EXPECT_EQ(allocator.free_frames(), allocator.total_frames());
}

TEST(FrameAllocator, FreedFramesAreReused) {
    FakeRam ram(1 * kMiB, 1 * kMiB);
    VectorRegions regions({available(1 * kMiB, 1 * kMiB)});
    FrameAllocator allocator;
    ASSERT_EQ(allocator.init(regions, {}, limits_for(ram)), mm_test::kOk);
    std::vector<PhysicalAddress> frames;
    while (auto frame = allocator.allocate()) frames.push_back(*frame);
    ASSERT_EQ(frames.size(), 255u);
    allocator.free(frames[100]);
    EXPECT_EQ(allocator.allocate().value(), frames[100]);
    EXPECT_FALSE(allocator.allocate().has_value());
}

namespace {

// A Multiboot2 information block with a memory map, an RGB framebuffer tag
// and modules (each [start, end), named "m"), laid out by hand as GRUB would.
std::vector<uint64_t> boot_info_with(const std::vector<kernel::multiboot::MemoryMapEntry>& entries,
                                     uint64_t framebuffer,
                                     const std::vector<std::pair<uint32_t, uint32_t>>& modules = {}) {
    std::vector<uint8_t> bytes(8, 0);
    auto put = [&](const void* data, size_t size) {
        const auto* first = static_cast<const uint8_t*>(data);
        bytes.insert(bytes.end(), first, first + size);
    };
    auto pad = [&] { bytes.resize((bytes.size() + 7) & ~size_t{7}, 0); };
    const kernel::multiboot::MemoryMapTag map{{6, uint32_t(16 + 24 * entries.size())}, 24, 0};
    put(&map, sizeof map);
    put(entries.data(), entries.size() * sizeof entries[0]);
    pad();
    const kernel::multiboot::FramebufferTagCommon screen{{8, 38}, framebuffer, 4096, 1024, 768, 32, 1, 0};
    put(&screen, sizeof screen);
    const kernel::multiboot::FramebufferRgbFields colors{16, 8, 8, 8, 0, 8};
    put(&colors, sizeof colors);
    pad();
    for (const auto& [start, end] : modules) {
        const kernel::multiboot::ModuleTag module{{3, sizeof(kernel::multiboot::ModuleTag) + 2}, start, end};
        put(&module, sizeof module);
        put("m", 2);
        pad();
    }
    const kernel::multiboot::TagHeader end{0, 8};
    put(&end, sizeof end);
    const uint32_t total = uint32_t(bytes.size());
    std::memcpy(bytes.data(), &total, sizeof total);
    std::vector<uint64_t> aligned(bytes.size() / 8);
    std::memcpy(aligned.data(), bytes.data(), bytes.size());
    return aligned;
}

// The boot record the kernel makes of it; the record points into `mbi`.
kernel::boot::BootRecord record_of(const std::vector<uint64_t>& mbi) {
    const auto parsed = kernel::multiboot::parse_boot_info(mbi.data(), mbi.size() * 8);
    EXPECT_FALSE(parsed.is_error()) << to_string(parsed.error());
    return parsed.is_error() ? kernel::boot::BootRecord{} : kernel::multiboot::to_boot_record(*parsed, {}, {});
}

}  // namespace

TEST(FrameAllocator, FromBootInformationTheFramebufferIsReservedWhereverItLies) {
    FakeRam ram(1 * kMiB, 1 * kMiB);
    // The framebuffer sits in RAM the map calls available (as ramfb does), above 4 GiB.
    const uint64_t framebuffer = 4 * kGiB + 64 * kMiB;
    const auto mbi = boot_info_with({{0, 640 * kKiB, 1, 0}, {1 * kMiB, 8 * kGiB, 1, 0}}, framebuffer);
    const kernel::boot::BootRecord boot = record_of(mbi);
    const PhysicalRange kernel_image = range(2 * kMiB, 1 * kMiB);
    FrameAllocator allocator;
    ASSERT_EQ(init_frame_allocator(allocator, boot, {&kernel_image, 1}, limits_for(ram)), mm_test::kOk);
    ASSERT_EQ(allocator.run_count(), 3u);
    EXPECT_EQ(allocator.run(1).base.value(), 3 * kMiB);
    EXPECT_EQ(allocator.run(1).base.value() + allocator.run(1).size, framebuffer);
    EXPECT_EQ(allocator.run(2).base.value(), framebuffer + 4096 * 768);
}

TEST(FrameAllocator, FromBootInformationEveryModuleIsReservedTheUnkeptOnesToo) {
    FakeRam ram(1 * kMiB, 1 * kMiB);
    const uint64_t framebuffer = 4 * kGiB;
    std::vector<std::pair<uint32_t, uint32_t>> modules;
    // The kept ones: one page each from 8 MiB up.
    for (uint32_t i = 0; i < kernel::multiboot::kMaxModules; ++i)
        modules.push_back({uint32_t(8 * kMiB + i * 4 * kKiB), uint32_t(8 * kMiB + i * 4 * kKiB + 100)});
    // Past kMaxModules: not kept, but their memory must stay untouched.
    modules.push_back({uint32_t(32 * kMiB), uint32_t(32 * kMiB + 10)});
    modules.push_back({uint32_t(16 * kMiB), uint32_t(16 * kMiB + 5 * kKiB)});
    const auto mbi = boot_info_with({{1 * kMiB, 63 * kMiB, 1, 0}}, framebuffer, modules);
    const kernel::boot::BootRecord boot = record_of(mbi);
    ASSERT_EQ(boot.module_count, kernel::multiboot::kMaxModules + 2);
    FrameAllocator allocator;
    ASSERT_EQ(init_frame_allocator(allocator, boot, {}, limits_for(ram)), mm_test::kOk);
    // A frame can be handed out only if it lies in one of the allocator's runs.
    auto managed = [&](uint64_t address) {
        for (size_t i = 0; i < allocator.run_count(); ++i)
            if (address >= allocator.run(i).base.value() &&
                address - allocator.run(i).base.value() < allocator.run(i).size)
                return true;
        return false;
    };
    for (const auto& [start, end] : modules)
        for (uint64_t page = start & ~(kPageSize - 1); page < end; page += kPageSize)
            EXPECT_FALSE(managed(page)) << "module page 0x" << std::hex << page << " may be handed out";
    // The span of the unkept ones, [16 MiB, 32 MiB + 10), is reserved whole.
    EXPECT_FALSE(managed(24 * kMiB));
    EXPECT_TRUE(managed(33 * kMiB));
    EXPECT_TRUE(managed(12 * kMiB));
}
