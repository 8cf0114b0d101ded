// Host tests for the page-table builder and walkers: permissions per access
// kind, large pages, splitting, unmapping, pool exhaustion and the W^X count.
#include "arch/x86_64/page_table.hpp"

#include <gtest/gtest.h>

#include <memory>

using namespace kernel::arch;

namespace {

constexpr uint64_t kMiB = 1ull << 20;

// A fresh pool per test; page-aligned, so its addresses can stand in for
// physical ones the way the kernel's identity-mapped pool does.
struct Pool {
    static constexpr size_t kTables = 16;
    std::unique_ptr<PageTable[]> tables{new PageTable[kTables]};
};

const PageTable* root_of(const PageTableBuilder& builder) {
    return reinterpret_cast<const PageTable*>(builder.root());
}

}  // namespace

TEST(PageTable, RootComesFromThePoolAndIsPageAligned) {
    Pool pool;
    PageTableBuilder builder(pool.tables.get(), Pool::kTables, true);
    EXPECT_EQ(builder.root(), reinterpret_cast<uintptr_t>(pool.tables.get()));
    EXPECT_EQ(builder.root() % kPageSize, 0u);
    EXPECT_EQ(builder.tables_used(), 1u);
    EXPECT_EQ(walk(root_of(builder), true).mapped_pages, 0u);
}

TEST(PageTable, EachAccessKindGetsItsPermissions) {
    Pool pool;
    PageTableBuilder builder(pool.tables.get(), Pool::kTables, true);
    ASSERT_EQ(builder.map(0x100000, 0x100000, kPageSize, PageAccess::ReadExecute), MapError::None);
    ASSERT_EQ(builder.map(0x101000, 0x101000, kPageSize, PageAccess::ReadOnly), MapError::None);
    ASSERT_EQ(builder.map(0x102000, 0x202000, kPageSize, PageAccess::ReadWrite), MapError::None);

    const Translation text = translate(root_of(builder), 0x100123, true);
    EXPECT_TRUE(text.present && text.executable && !text.writable);
    EXPECT_EQ(text.physical_address, 0x100123u);
    const Translation rodata = translate(root_of(builder), 0x101000, true);
    EXPECT_TRUE(rodata.present && !rodata.executable && !rodata.writable);
    const Translation data = translate(root_of(builder), 0x102008, true);
    EXPECT_TRUE(data.present && !data.executable && data.writable);
    EXPECT_EQ(data.physical_address, 0x202008u);
    EXPECT_EQ(data.page_size, kPageSize);
    EXPECT_FALSE(translate(root_of(builder), 0x103000, true).present);
    EXPECT_FALSE(translate(root_of(builder), 0, true).present);

    const WalkStats stats = walk(root_of(builder), true);
    EXPECT_EQ(stats.mapped_pages, 3u);
    EXPECT_EQ(stats.writable_executable_pages, 0u);
}

TEST(PageTable, WithoutNxNoEntryCarriesTheReservedBitAndDataStaysExecutable) {
    Pool pool;
    PageTableBuilder builder(pool.tables.get(), Pool::kTables, false);
    ASSERT_EQ(builder.map(0x200000, 0x200000, 4 * kPageSize, PageAccess::ReadWrite), MapError::None);
    for (size_t t = 0; t < builder.tables_used(); ++t)
        for (uint64_t entry : pool.tables[t].entries) EXPECT_EQ(entry & kPteNoExecute, 0u);
    EXPECT_TRUE(translate(root_of(builder), 0x200000, false).executable);
    EXPECT_EQ(walk(root_of(builder), false).writable_executable_pages, 4u);
}

TEST(PageTable, AlignedRangesUseLargePagesAndTheRestSmallOnes) {
    Pool pool;
    PageTableBuilder builder(pool.tables.get(), Pool::kTables, true);
    // 1 MiB of small pages up to 2 MiB, one large page, then 8 KiB small.
    ASSERT_EQ(builder.map(kMiB, kMiB, kMiB + 2 * kMiB + 2 * kPageSize, PageAccess::ReadWrite), MapError::None);
    EXPECT_EQ(translate(root_of(builder), kMiB, true).page_size, kPageSize);
    EXPECT_EQ(translate(root_of(builder), 3 * kMiB, true).page_size, kLargePageSize);
    EXPECT_EQ(translate(root_of(builder), 4 * kMiB + kPageSize, true).page_size, kPageSize);
    EXPECT_FALSE(translate(root_of(builder), 4 * kMiB + 2 * kPageSize, true).present);
    EXPECT_EQ(walk(root_of(builder), true).mapped_pages, 256u + 512u + 2u);
}

TEST(PageTable, UnmappingInsideALargePageSplitsItAndKeepsTheRest) {
    Pool pool;
    PageTableBuilder builder(pool.tables.get(), Pool::kTables, true);
    ASSERT_EQ(builder.map(0xFD000000, 0xFD000000, kLargePageSize, PageAccess::ReadWrite), MapError::None);
    ASSERT_EQ(builder.unmap(0xFD001000, kPageSize), MapError::None);
    EXPECT_FALSE(translate(root_of(builder), 0xFD001000, true).present);
    const Translation kept = translate(root_of(builder), 0xFD002000, true);
    EXPECT_TRUE(kept.present && kept.writable && !kept.executable);
    EXPECT_EQ(kept.physical_address, 0xFD002000u);
    EXPECT_EQ(walk(root_of(builder), true).mapped_pages, 511u);
}

TEST(PageTable, ALaterMappingReplacesAnEarlierOne) {
    Pool pool;
    PageTableBuilder builder(pool.tables.get(), Pool::kTables, true);
    ASSERT_EQ(builder.map(0x100000, 0x100000, 2 * kPageSize, PageAccess::ReadWrite), MapError::None);
    ASSERT_EQ(builder.map(0x100000, 0x100000, kPageSize, PageAccess::ReadExecute), MapError::None);
    EXPECT_TRUE(translate(root_of(builder), 0x100000, true).executable);
    EXPECT_FALSE(translate(root_of(builder), 0x100000, true).writable);
    EXPECT_EQ(walk(root_of(builder), true).writable_executable_pages, 0u);
}

TEST(PageTable, UnmappingWhatIsNotMappedIsHarmless) {
    Pool pool;
    PageTableBuilder builder(pool.tables.get(), Pool::kTables, true);
    EXPECT_EQ(builder.unmap(0x5000, 3 * kPageSize), MapError::None);
    EXPECT_EQ(builder.tables_used(), 1u);
}

TEST(PageTable, RejectsMisalignedAndNonCanonicalRanges) {
    Pool pool;
    PageTableBuilder builder(pool.tables.get(), Pool::kTables, true);
    EXPECT_EQ(builder.map(0x1001, 0x1000, kPageSize, PageAccess::ReadOnly), MapError::Misaligned);
    EXPECT_EQ(builder.map(0x1000, 0x1000, 100, PageAccess::ReadOnly), MapError::Misaligned);
    EXPECT_EQ(builder.map(0x0000'8000'0000'0000, 0, kPageSize, PageAccess::ReadOnly), MapError::NonCanonical);
    EXPECT_EQ(builder.map(0x0000'7FFF'FFFF'F000, 0, 2 * kPageSize, PageAccess::ReadOnly), MapError::NonCanonical);
    EXPECT_EQ(walk(root_of(builder), true).mapped_pages, 0u);
}

TEST(PageTable, AnExhaustedPoolIsReportedNotOverrun) {
    Pool pool;
    PageTableBuilder builder(pool.tables.get(), 3, true);  // root, PDPT, PD: no room for a PT
    EXPECT_EQ(builder.map(0x1000, 0x1000, kPageSize, PageAccess::ReadOnly), MapError::OutOfTables);
    EXPECT_EQ(builder.map(0, 0, kLargePageSize, PageAccess::ReadOnly), MapError::None);
    EXPECT_STREQ(to_string(MapError::OutOfTables), "page-table pool exhausted");
}

TEST(PageTable, AnEmptyPoolGivesNoRootAndMapsNothing) {
    PageTableBuilder builder(nullptr, 0, true);
    EXPECT_EQ(builder.root(), 0u);
    EXPECT_EQ(builder.map(0, 0, kPageSize, PageAccess::ReadOnly), MapError::OutOfTables);
    EXPECT_FALSE(translate(nullptr, 0, true).present);
}

TEST(PageTable, WalkCountsWritableExecutableEntriesWrittenByHand) {
    Pool pool;
    PageTableBuilder builder(pool.tables.get(), Pool::kTables, true);
    ASSERT_EQ(builder.map(0x400000, 0x400000, kLargePageSize, PageAccess::ReadOnly), MapError::None);
    // Corrupt the large page into RWX, as a buggy mapper might.
    PageTable& pml4 = pool.tables[0];
    auto* pdpt = reinterpret_cast<PageTable*>(pml4.entries[0] & kPteAddressMask);
    auto* pd = reinterpret_cast<PageTable*>(pdpt->entries[0] & kPteAddressMask);
    pd->entries[2] = (pd->entries[2] | kPteWritable) & ~kPteNoExecute;
    EXPECT_EQ(walk(root_of(builder), true).writable_executable_pages, 512u);
    // A read-only intermediate level makes everything below it read-only.
    pml4.entries[0] &= ~kPteWritable;
    EXPECT_EQ(walk(root_of(builder), true).writable_executable_pages, 0u);
}
