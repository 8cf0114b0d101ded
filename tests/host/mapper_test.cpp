// Host tests for the page-table mapper: tables come from a fake frame source
// over host memory that the direct map shows as physical RAM (at 64 GiB, so
// nothing can pass for identity-mapped); every changed page must be reported
// for invalidation; random operations are checked against a model.
#include "arch/x86_64/mapper.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <vector>

#include "arch/x86_64/page_levels.hpp"
#include "mm_test_support.hpp"

using namespace kernel::arch;
using kernel::mm::PhysicalAddress;
using kernel::mm::VirtualAddress;
using mm_test::FakeRam;

namespace {

constexpr uint64_t kMiB = 1ull << 20;
constexpr uint64_t kGiB = 1ull << 30;
constexpr uint64_t kRamBase = 64 * kGiB;

// Hands out frames of the fake RAM, at most `limit` at once.
class FakeFrames final : public kernel::mm::FrameSource {
public:
    explicit FakeFrames(const FakeRam& ram, size_t limit = SIZE_MAX) : m_limit(limit) {
        for (uint64_t frame = ram.end() - kPageSize; frame >= ram.base(); frame -= kPageSize) m_free.push_back(frame);
    }
    kernel::lib::Optional<PhysicalAddress> allocate() override {
        if (m_free.empty() || m_used.size() >= m_limit) return kernel::lib::kNone;
        const uint64_t frame = m_free.back();
        m_free.pop_back();
        m_used.insert(frame);
        return PhysicalAddress(frame);
    }
    void free(PhysicalAddress frame) override {
        EXPECT_EQ(m_used.erase(frame.value()), 1u) << "freed a frame not in use: " << std::hex << frame.value();
        m_free.push_back(frame.value());
    }
    const std::set<uint64_t>& used() const { return m_used; }
    void set_limit(size_t limit) { m_limit = limit; }

private:
    std::vector<uint64_t> m_free;
    std::set<uint64_t> m_used;
    size_t m_limit;
};

struct Invalidation {
    uint64_t page;
    uint64_t size;
};

void record(void* context, VirtualAddress page, uint64_t page_size) {
    static_cast<std::vector<Invalidation>*>(context)->push_back({page.value(), page_size});
}

// A mapper with its RAM, frames and invalidation log.
struct Fixture {
    explicit Fixture(PagingFeatures features = {true, false}, uint64_t ram_size = 4 * kMiB)
        : ram(kRamBase, ram_size), frames(ram), mapper(frames, {record, &invalidations}, features) {
        EXPECT_EQ(mapper.init(), mm_test::kOk);
    }
    Mapping at(uint64_t address) const { return mapper.translate(VirtualAddress(address)).value(); }
    bool mapped(uint64_t address) const { return mapper.translate(VirtualAddress(address)).has_value(); }
    bool invalidated(uint64_t address) const {
        for (const Invalidation& entry : invalidations)
            if (address >= entry.page && address - entry.page < entry.size) return true;
        return false;
    }
    // The raw leaf entry for an address, read through the fake RAM.
    uint64_t leaf(uint64_t address) const {
        uint64_t entry = mapper.root().value();
        for (unsigned level = 4; level > 0; --level) {
            entry = levels::table_of(entry).entries[levels::index_at(address, level)];
            if (levels::is_leaf(entry, level)) return entry;
        }
        return 0;
    }

    FakeRam ram;
    FakeFrames frames;
    std::vector<Invalidation> invalidations;
    Mapper mapper;
};

kernel::ErrorOr<void> map(Fixture& f, uint64_t address, uint64_t physical, uint64_t size, PageAccess access,
                          CacheMode cache = CacheMode::WriteBack) {
    return f.mapper.map(VirtualAddress(address), PhysicalAddress(physical), size, access, cache);
}

}  // namespace

TEST(Mapper, TheRootComesFromTheFrameSource) {
    Fixture f;
    EXPECT_TRUE(f.ram.contains(f.mapper.root().value(), kPageSize));
    EXPECT_TRUE(f.mapper.root().is_page_aligned());
    EXPECT_EQ(f.mapper.table_count(), 1u);
    EXPECT_EQ(f.mapper.walk().mapped_pages, 0u);
}

TEST(Mapper, EachAccessKindGetsItsPermissions) {
    Fixture f;
    ASSERT_EQ(map(f, 0x100000, 0x100000, kPageSize, PageAccess::ReadExecute), mm_test::kOk);
    ASSERT_EQ(map(f, 0x101000, 0x101000, kPageSize, PageAccess::ReadOnly), mm_test::kOk);
    ASSERT_EQ(map(f, 0x102000, 0x202000, kPageSize, PageAccess::ReadWrite), mm_test::kOk);
    const Mapping text = f.at(0x100123);
    EXPECT_TRUE(text.executable && !text.writable);
    EXPECT_EQ(text.physical.value(), 0x100123u);
    const Mapping rodata = f.at(0x101000);
    EXPECT_TRUE(!rodata.executable && !rodata.writable);
    const Mapping data = f.at(0x102008);
    EXPECT_TRUE(!data.executable && data.writable);
    EXPECT_EQ(data.physical.value(), 0x202008u);
    EXPECT_EQ(data.page_size, kPageSize);
    EXPECT_FALSE(f.mapped(0x103000));
    EXPECT_FALSE(f.mapped(0));
    const WalkStats stats = f.mapper.walk();
    EXPECT_EQ(stats.mapped_pages, 3u);
    EXPECT_EQ(stats.writable_executable_pages, 0u);
    EXPECT_TRUE(f.invalidations.empty());  // nothing that was present changed
}

TEST(Mapper, WithoutNxNoEntryCarriesTheReservedBitAndDataStaysExecutable) {
    Fixture f({false, false});
    ASSERT_EQ(map(f, 0x200000, 0x200000, 4 * kPageSize, PageAccess::ReadWrite), mm_test::kOk);
    ASSERT_EQ(f.mapper.protect(VirtualAddress(0x200000), kPageSize, PageAccess::ReadOnly), mm_test::kOk);
    for (uint64_t frame : f.frames.used())
        for (uint64_t entry : levels::table_at(PhysicalAddress(frame)).entries) EXPECT_EQ(entry & kPteNoExecute, 0u);
    EXPECT_TRUE(f.at(0x201000).executable);
    EXPECT_EQ(f.mapper.walk().writable_executable_pages, 3u);
}

TEST(Mapper, AlignedRangesUseLargePagesAndTheRestSmallOnes) {
    Fixture f;
    // 1 MiB of small pages up to 2 MiB, one large page, then 8 KiB small.
    ASSERT_EQ(map(f, kMiB, kMiB, kMiB + 2 * kMiB + 2 * kPageSize, PageAccess::ReadWrite), mm_test::kOk);
    EXPECT_EQ(f.at(kMiB).page_size, kPageSize);
    EXPECT_EQ(f.at(3 * kMiB).page_size, kLargePageSize);
    EXPECT_EQ(f.at(4 * kMiB + kPageSize).page_size, kPageSize);
    EXPECT_FALSE(f.mapped(4 * kMiB + 2 * kPageSize));
    EXPECT_EQ(f.mapper.walk().mapped_pages, 256u + 512u + 2u);
    // Misaligned physical memory gets small pages even where the virtual side is aligned.
    ASSERT_EQ(map(f, 8 * kMiB, 0x1000, kLargePageSize, PageAccess::ReadOnly), mm_test::kOk);
    EXPECT_EQ(f.at(8 * kMiB).page_size, kPageSize);
}

TEST(Mapper, GigabytePagesOnlyWhenTheCpuHasThem) {
    Fixture without;
    ASSERT_EQ(map(without, kGiB, 2 * kGiB, kGiB, PageAccess::ReadWrite), mm_test::kOk);
    EXPECT_EQ(without.at(kGiB).page_size, kLargePageSize);
    Fixture with({true, true});
    ASSERT_EQ(map(with, kGiB, 2 * kGiB, kGiB, PageAccess::ReadWrite), mm_test::kOk);
    EXPECT_EQ(with.at(kGiB + 12345).page_size, kHugePageSize);
    EXPECT_EQ(with.at(kGiB + 12345).physical.value(), 2 * kGiB + 12345);
    EXPECT_EQ(with.mapper.table_count(), 2u);  // the root and one PDPT
}

TEST(Mapper, UnmappingInsideALargePageSplitsItAndKeepsTheRest) {
    Fixture f;
    ASSERT_EQ(map(f, 0xFD000000, 0xFD000000, kLargePageSize, PageAccess::ReadWrite), mm_test::kOk);
    ASSERT_EQ(f.mapper.unmap(VirtualAddress(0xFD001000), kPageSize), mm_test::kOk);
    EXPECT_FALSE(f.mapped(0xFD001000));
    const Mapping kept = f.at(0xFD002000);
    EXPECT_TRUE(kept.writable && !kept.executable);
    EXPECT_EQ(kept.physical.value(), 0xFD002000u);
    EXPECT_EQ(f.mapper.walk().mapped_pages, 511u);
    EXPECT_TRUE(f.invalidated(0xFD001000));
}

TEST(Mapper, AGigabytePageSplitsIntoLargeAndSmallPages) {
    Fixture f({true, true});
    ASSERT_EQ(map(f, kGiB, 0, kGiB, PageAccess::ReadOnly), mm_test::kOk);
    ASSERT_EQ(f.mapper.unmap(VirtualAddress(kGiB + 5 * kLargePageSize + kPageSize), kPageSize), mm_test::kOk);
    EXPECT_EQ(f.mapper.walk().mapped_pages, kGiB / kPageSize - 1);
    EXPECT_EQ(f.at(kGiB).page_size, kLargePageSize);
    EXPECT_EQ(f.at(kGiB + 5 * kLargePageSize).page_size, kPageSize);
    EXPECT_EQ(f.at(kGiB + 5 * kLargePageSize + 2 * kPageSize).physical.value(), 5 * kLargePageSize + 2 * kPageSize);
    EXPECT_TRUE(f.invalidated(kGiB + 5 * kLargePageSize + kPageSize));
}

TEST(Mapper, ALaterMappingReplacesAnEarlierOneAndItsTables) {
    Fixture f;
    ASSERT_EQ(map(f, 0x200000, 0x200000, 2 * kPageSize, PageAccess::ReadWrite), mm_test::kOk);
    ASSERT_EQ(map(f, 0x200000, 0x200000, kPageSize, PageAccess::ReadExecute), mm_test::kOk);
    EXPECT_TRUE(f.at(0x200000).executable);
    EXPECT_FALSE(f.at(0x200000).writable);
    EXPECT_TRUE(f.invalidated(0x200000));
    EXPECT_FALSE(f.invalidated(0x201000));
    EXPECT_EQ(f.mapper.walk().writable_executable_pages, 0u);
    // A large page over the small ones gives their table back.
    EXPECT_EQ(f.mapper.table_count(), 4u);
    ASSERT_EQ(map(f, 0x200000, 0x400000, kLargePageSize, PageAccess::ReadOnly), mm_test::kOk);
    EXPECT_EQ(f.mapper.table_count(), 3u);
    EXPECT_EQ(f.frames.used().size(), 3u);
    EXPECT_TRUE(f.invalidated(0x201000));
    EXPECT_EQ(f.at(0x201000).physical.value(), 0x401000u);
}

TEST(Mapper, UnmappingEverythingGivesEveryTableButTheRootBack) {
    Fixture f({true, true});
    ASSERT_EQ(map(f, 0xFFFF'8000'0000'0000, 0, 3 * kGiB + 3 * kMiB + kPageSize, PageAccess::ReadWrite), mm_test::kOk);
    ASSERT_EQ(map(f, 0x1000, 0x1000, 16 * kPageSize, PageAccess::ReadOnly), mm_test::kOk);
    EXPECT_GT(f.mapper.table_count(), 4u);
    ASSERT_EQ(f.mapper.unmap(VirtualAddress(0xFFFF'8000'0000'0000), 4 * kGiB), mm_test::kOk);
    ASSERT_EQ(f.mapper.unmap(VirtualAddress(0), 1ull << 47), mm_test::kOk);
    EXPECT_EQ(f.mapper.walk().mapped_pages, 0u);
    EXPECT_EQ(f.mapper.table_count(), 1u);
    EXPECT_EQ(f.frames.used().size(), 1u);
}

TEST(Mapper, UnmappingWhatIsNotMappedIsHarmless) {
    Fixture f;
    EXPECT_EQ(f.mapper.unmap(VirtualAddress(0x5000), 3 * kPageSize), mm_test::kOk);
    EXPECT_EQ(f.mapper.unmap(VirtualAddress(0xFFFF'8000'0000'0000), 1ull << 47), mm_test::kOk);
    EXPECT_EQ(f.mapper.table_count(), 1u);
    EXPECT_TRUE(f.invalidations.empty());
}

TEST(Mapper, RejectsMisalignedNonCanonicalNullAndTooHighRanges) {
    Fixture f;
    EXPECT_EQ(map(f, 0x1001, 0x1000, kPageSize, PageAccess::ReadOnly), kernel::Error::MapMisaligned);
    EXPECT_EQ(map(f, 0x1000, 0x1001, kPageSize, PageAccess::ReadOnly), kernel::Error::MapMisaligned);
    EXPECT_EQ(map(f, 0x1000, 0x1000, 100, PageAccess::ReadOnly), kernel::Error::MapMisaligned);
    EXPECT_EQ(map(f, 0x0000'8000'0000'0000, 0, kPageSize, PageAccess::ReadOnly), kernel::Error::MapNonCanonical);
    EXPECT_EQ(map(f, 0x0000'7FFF'FFFF'F000, 0, 2 * kPageSize, PageAccess::ReadOnly), kernel::Error::MapNonCanonical);
    EXPECT_EQ(map(f, 0x1000, 0, 0xFFFF'8000'0000'0000, PageAccess::ReadOnly), kernel::Error::MapNonCanonical);
    EXPECT_EQ(map(f, 0xFFFF'FFFF'FFFF'F000, 0, 2 * kPageSize, PageAccess::ReadOnly), kernel::Error::MapNonCanonical);
    EXPECT_EQ(map(f, 0, 0x100000, kPageSize, PageAccess::ReadOnly), kernel::Error::MapNullPage);
    EXPECT_EQ(map(f, 0x1000, kMaxPhysicalAddress - kPageSize, 2 * kPageSize, PageAccess::ReadOnly),
              kernel::Error::MapPhysicalTooHigh);
    EXPECT_EQ(f.mapper.unmap(VirtualAddress(0x1800), kPageSize), kernel::Error::MapMisaligned);
    EXPECT_EQ(f.mapper.protect(VirtualAddress(0x0000'8000'0000'0000), kPageSize, PageAccess::ReadOnly),
              kernel::Error::MapNonCanonical);
    EXPECT_EQ(f.mapper.walk().mapped_pages, 0u);
    EXPECT_STREQ(to_string(kernel::Error::MapNullPage), "range covers virtual page 0");
}

TEST(Mapper, TheTopOfTheAddressSpaceMapsAndUnmapsWithoutWrapping) {
    Fixture f;
    ASSERT_EQ(map(f, 0xFFFF'FFFF'FFFF'E000, 0x5000, 2 * kPageSize, PageAccess::ReadOnly), mm_test::kOk);
    EXPECT_EQ(f.at(0xFFFF'FFFF'FFFF'F123).physical.value(), 0x6123u);
    ASSERT_EQ(f.mapper.unmap(VirtualAddress(0xFFFF'FFFF'FFFF'E000), 2 * kPageSize), mm_test::kOk);
    EXPECT_FALSE(f.mapped(0xFFFF'FFFF'FFFF'F000));
    EXPECT_EQ(f.mapper.table_count(), 1u);
}

TEST(Mapper, RunningOutOfFramesIsAnErrorValueAndLeavesTablesConsistent) {
    Fixture f;
    f.frames.set_limit(3);  // root, PDPT, PD: no room for a PT
    EXPECT_EQ(map(f, 0x1000, 0x1000, kPageSize, PageAccess::ReadOnly), kernel::Error::OutOfFrames);
    EXPECT_EQ(map(f, 0x200000, 0, kLargePageSize, PageAccess::ReadOnly), mm_test::kOk);
    EXPECT_EQ(f.mapper.unmap(VirtualAddress(0x201000), kPageSize), kernel::Error::OutOfFrames);
    EXPECT_EQ(f.mapper.protect(VirtualAddress(0x201000), kPageSize, PageAccess::ReadWrite), kernel::Error::OutOfFrames);
    EXPECT_EQ(f.mapper.walk().mapped_pages, 512u);
    EXPECT_FALSE(f.at(0x201000).writable);
    FakeRam ram(kRamBase, 4 * kMiB);
    FakeFrames none(ram, 0);
    Mapper empty(none, {}, {});
    EXPECT_EQ(empty.init(), kernel::Error::OutOfFrames);
    EXPECT_STREQ(to_string(kernel::Error::OutOfFrames), "no frame left");
}

TEST(Mapper, ProtectChangesAccessSplittingOnlyWhenItMust) {
    Fixture f;
    ASSERT_EQ(map(f, 0x400000, 0x800000, 2 * kLargePageSize, PageAccess::ReadWrite), mm_test::kOk);
    const size_t tables = f.mapper.table_count();
    ASSERT_EQ(f.mapper.protect(VirtualAddress(0x400000), kLargePageSize, PageAccess::ReadOnly), mm_test::kOk);
    EXPECT_EQ(f.at(0x400000).page_size, kLargePageSize);
    EXPECT_FALSE(f.at(0x5FF000).writable);
    EXPECT_TRUE(f.invalidated(0x400000));
    // Asking for what a large page already has does not split it.
    ASSERT_EQ(f.mapper.protect(VirtualAddress(0x601000), kPageSize, PageAccess::ReadWrite), mm_test::kOk);
    EXPECT_EQ(f.mapper.table_count(), tables);
    ASSERT_EQ(f.mapper.protect(VirtualAddress(0x601000), kPageSize, PageAccess::ReadExecute), mm_test::kOk);
    EXPECT_EQ(f.mapper.table_count(), tables + 1);
    EXPECT_TRUE(f.at(0x601000).executable && !f.at(0x601000).writable);
    EXPECT_TRUE(f.at(0x602000).writable && !f.at(0x602000).executable);
    EXPECT_EQ(f.at(0x601000).physical.value(), 0xA01000u);
    // Holes stay holes.
    ASSERT_EQ(f.mapper.protect(VirtualAddress(0x10000000), kLargePageSize, PageAccess::ReadWrite), mm_test::kOk);
    EXPECT_FALSE(f.mapped(0x10000000));
    EXPECT_EQ(f.mapper.walk().writable_executable_pages, 0u);
}

TEST(Mapper, CacheModesUseThePatIndexWithThePatBitWhereEachPageSizeKeepsIt) {
    Fixture f;
    ASSERT_EQ(map(f, 0x1000, 0xFD000000, kPageSize, PageAccess::ReadWrite, CacheMode::WriteCombining), mm_test::kOk);
    ASSERT_EQ(map(f, 0x2000, 0xFEC00000, kPageSize, PageAccess::ReadWrite, CacheMode::Uncached), mm_test::kOk);
    ASSERT_EQ(map(f, 0x3000, 0x3000, kPageSize, PageAccess::ReadWrite, CacheMode::WriteThrough), mm_test::kOk);
    ASSERT_EQ(map(f, 0x400000, 0x400000, kLargePageSize, PageAccess::ReadWrite, CacheMode::WriteThrough), mm_test::kOk);
    EXPECT_EQ(f.leaf(0x1000) & (kPteWriteThrough | kPteCacheDisable | kPtePatSmall), kPteWriteThrough);
    EXPECT_EQ(f.leaf(0x2000) & (kPteWriteThrough | kPteCacheDisable | kPtePatSmall),
              kPteWriteThrough | kPteCacheDisable);
    EXPECT_EQ(f.leaf(0x3000) & (kPteWriteThrough | kPteCacheDisable | kPtePatSmall),
              kPteWriteThrough | kPteCacheDisable | kPtePatSmall);
    EXPECT_EQ(f.leaf(0x400000) & (kPteLarge | kPtePatLarge), kPteLarge | kPtePatLarge);
    EXPECT_EQ(f.at(0x400000).physical.value(), 0x400000u);  // bit 12 is not taken for address
    EXPECT_EQ(f.at(0x1000).cache, CacheMode::WriteCombining);
    EXPECT_EQ(f.at(0x2000).cache, CacheMode::Uncached);
    EXPECT_EQ(f.at(0x3000).cache, CacheMode::WriteThrough);
    EXPECT_EQ(f.at(0x400000).cache, CacheMode::WriteThrough);
    // Split, the PAT bit moves from bit 12 to bit 7 and the size bit goes.
    ASSERT_EQ(f.mapper.unmap(VirtualAddress(0x400000), kPageSize), mm_test::kOk);
    EXPECT_EQ(f.leaf(0x401000) & ~kPteAddressMask,
              kPtePresent | kPteWritable | kPteWriteThrough | kPteCacheDisable | kPtePatSmall | kPteNoExecute);
    EXPECT_EQ(f.at(0x401000).cache, CacheMode::WriteThrough);
    EXPECT_EQ(f.at(0x401000).physical.value(), 0x401000u);
}

TEST(Mapper, WalkCountsWritableExecutableEntriesWrittenByHand) {
    Fixture f;
    ASSERT_EQ(map(f, 0x400000, 0x400000, kLargePageSize, PageAccess::ReadOnly), mm_test::kOk);
    // Corrupt the large page into RWX, as a buggy mapper might.
    PageTable& pml4 = levels::table_at(f.mapper.root());
    PageTable& pdpt = levels::table_of(pml4.entries[0]);
    PageTable& pd = levels::table_of(pdpt.entries[0]);
    pd.entries[2] = (pd.entries[2] | kPteWritable) & ~kPteNoExecute;
    EXPECT_EQ(f.mapper.walk().writable_executable_pages, 512u);
    // A read-only intermediate level makes everything below it read-only.
    pml4.entries[0] &= ~kPteWritable;
    EXPECT_EQ(f.mapper.walk().writable_executable_pages, 0u);
}

namespace {

// What one granule of the window should translate to.
struct Expected {
    bool present = false;
    uint64_t physical = 0;
    PageAccess access = PageAccess::ReadOnly;
    CacheMode cache = CacheMode::WriteBack;
};

bool same(const kernel::lib::Optional<Mapping>& actual, const Expected& expected) {
    if (!actual) return !expected.present;
    return expected.present && actual->physical.value() == expected.physical &&
           actual->writable == (expected.access == PageAccess::ReadWrite) &&
           actual->executable == (expected.access == PageAccess::ReadExecute) && actual->cache == expected.cache;
}

bool same_mapping(const kernel::lib::Optional<Mapping>& a, const kernel::lib::Optional<Mapping>& b) {
    if (!a || !b) return a.has_value() == b.has_value();
    return a->physical == b->physical && a->writable == b->writable && a->executable == b->executable &&
           a->cache == b->cache;
}

// Random map/unmap/protect in a window of `granules` granules, all
// granule-aligned, checked after each step against a model: translations,
// W^X, mapped count, and that each granule whose translation changed was
// invalidated. At the end, unmapping the window gives every table back.
void run_random_operations(PagingFeatures features, uint64_t window, uint64_t granule, size_t granules, unsigned seed,
                           int steps) {
    Fixture f(features, 8 * kMiB);
    std::mt19937_64 random(seed);
    std::vector<Expected> model(granules);
    const PageAccess kAccesses[] = {PageAccess::ReadOnly, PageAccess::ReadWrite, PageAccess::ReadExecute};
    const CacheMode kModes[] = {CacheMode::WriteBack, CacheMode::WriteCombining, CacheMode::Uncached,
                                CacheMode::WriteThrough};
    size_t largest_table_count = 0;
    auto translate = [&](size_t i) { return f.mapper.translate(VirtualAddress(window + i * granule)); };
    for (int step = 0; step < steps; ++step) {
        // Runs that are often multiples of 512 granules and aligned like them, so large pages appear.
        const bool large = random() % 2 == 0;
        const size_t unit = large ? 512 : 1;
        const size_t first = (random() % granules) / unit * unit;
        const size_t count =
            std::min<size_t>(granules - first, unit * (1 + random() % 3) + (large ? 0 : random() % 700));
        std::vector<kernel::lib::Optional<Mapping>> before(granules);
        for (size_t i = 0; i < granules; ++i) before[i] = translate(i);
        f.invalidations.clear();
        const VirtualAddress start(window + first * granule);
        const PageAccess access = kAccesses[random() % 3];
        switch (random() % 3) {
        case 0: {
            const uint64_t physical = (random() % 4096) * (large ? kGiB : granule);
            const CacheMode cache = kModes[random() % 4];
            ASSERT_EQ(f.mapper.map(start, PhysicalAddress(physical), count * granule, access, cache), mm_test::kOk);
            for (size_t i = 0; i < count; ++i) model[first + i] = {true, physical + i * granule, access, cache};
            break;
        }
        case 1:
            ASSERT_EQ(f.mapper.unmap(start, count * granule), mm_test::kOk);
            for (size_t i = 0; i < count; ++i) model[first + i] = {};
            break;
        default:
            ASSERT_EQ(f.mapper.protect(start, count * granule, access), mm_test::kOk);
            for (size_t i = 0; i < count; ++i) model[first + i].access = access;
        }
        uint64_t present = 0;
        for (size_t i = 0; i < granules; ++i) {
            const auto now = translate(i);
            ASSERT_TRUE(same(now, model[i])) << "step " << step << ", granule " << i;
            if (before[i] && !same_mapping(before[i], now)) {
                ASSERT_TRUE(f.invalidated(window + i * granule)) << "step " << step << ", granule " << i;
            }
            present += model[i].present;
        }
        largest_table_count = std::max(largest_table_count, f.mapper.table_count());
        const WalkStats stats = f.mapper.walk();
        ASSERT_EQ(stats.mapped_pages, present * (granule / kPageSize));
        ASSERT_EQ(stats.writable_executable_pages, 0u);
    }
    EXPECT_GT(largest_table_count, 4u);
    ASSERT_EQ(f.mapper.unmap(VirtualAddress(window), granules * granule), mm_test::kOk);
    EXPECT_EQ(f.mapper.table_count(), 1u);
    EXPECT_EQ(f.frames.used().size(), 1u);
}

}  // namespace

TEST(Mapper, RandomOperationsInSmallPagesMatchTheModelAndInvalidateEveryChange) {
    for (unsigned seed = 1; seed <= 3; ++seed)
        run_random_operations({true, false}, kGiB - 4 * kMiB, kPageSize, 4096, seed, 150);
}

TEST(Mapper, RandomOperationsInLargePagesMatchTheModelAndInvalidateEveryChange) {
    for (unsigned seed = 1; seed <= 3; ++seed)
        run_random_operations({true, true}, 0xFFFF'8000'0000'0000 + kGiB, kLargePageSize, 2048, seed, 150);
}
