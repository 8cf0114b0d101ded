// Host tests for the MCFG decoder on crafted tables: the length checks, each reason an entry is refused, and
// finding the window of a bus.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "acpi/mcfg.hpp"
#include "acpi/tables.hpp"
#include "acpi_test_support.hpp"
#include "error_test_support.hpp"

namespace {

using namespace kernel::acpi;
using acpi_test::FakeMemory;
using acpi_test::TableBuilder;
using kernel::Error;
using kernel::error_of;
using kernel::ErrorOr;

constexpr uint64_t kTableAt = 0x5000;
constexpr uint64_t kQ35Ecam = 0xB0000000;

struct Entry {
    uint64_t base;
    uint16_t segment;
    uint8_t start_bus;
    uint8_t end_bus;
};

TableBuilder mcfg_builder(const std::vector<Entry>& entries) {
    TableBuilder builder("MCFG", 1);
    builder.u64(0);
    for (const Entry& entry : entries)
        builder.u64(entry.base).u16(entry.segment).u8(entry.start_bus).u8(entry.end_bus).u32(0);
    return builder;
}

// Through read_table, so the bytes sit in a buffer of exactly the table's size and the checksum is checked too.
ErrorOr<Mcfg> parse_bytes(const std::vector<uint8_t>& bytes) {
    FakeMemory memory;
    memory.add(kTableAt, bytes);
    const ErrorOr<Table> table = read_table(memory, kTableAt, kMcfgSignature);
    return table.is_error() ? ErrorOr<Mcfg>(table.error()) : parse_mcfg(table.value());
}

TEST(AcpiMcfg, FixedPartAloneHasNoWindow) {
    const ErrorOr<Mcfg> mcfg = parse_bytes(mcfg_builder({}).finish());
    ASSERT_EQ(error_of(mcfg), std::nullopt);
    EXPECT_TRUE(mcfg.value().windows.empty());
    EXPECT_EQ(find_ecam_window(mcfg.value(), 0, 0), nullptr);
}

TEST(AcpiMcfg, ShorterThanFixedPartRejected) {
    const std::vector<uint8_t> short_table = TableBuilder("MCFG").u32(0).finish();
    EXPECT_EQ(error_of(parse_bytes(short_table)), Error::AcpiMcfgTooShort);
}

// The declared length cuts the one entry short; the checksum is right over what it declares.
TEST(AcpiMcfg, PartialEntryRejected) {
    const TableBuilder builder = mcfg_builder({{kQ35Ecam, 0, 0, 255}});
    for (size_t cut = 1; cut < sizeof(McfgEntry); ++cut) {
        const auto length = static_cast<uint32_t>(builder.size() - cut);
        EXPECT_EQ(error_of(parse_bytes(builder.finish(length))), Error::AcpiMcfgBadLength) << "cut " << cut;
    }
}

TEST(AcpiMcfg, EntriesDecoded) {
    const ErrorOr<Mcfg> mcfg = parse_bytes(mcfg_builder({{kQ35Ecam, 0, 0, 63}, {0x40'0000'0000, 1, 16, 31}}).finish());
    ASSERT_EQ(error_of(mcfg), std::nullopt);
    ASSERT_EQ(mcfg.value().windows.size(), 2u);
    const EcamWindow& second = mcfg.value().windows[1];
    EXPECT_EQ(second.base_address, 0x40'0000'0000u);
    EXPECT_EQ(second.segment, 1);
    EXPECT_EQ(second.start_bus, 16);
    EXPECT_EQ(second.end_bus, 31);
    EXPECT_EQ(mcfg.value().refused_entries, 0u);
}

TEST(AcpiMcfg, UnmappableEntriesRefusedAndCountedOthersKept) {
    const ErrorOr<Mcfg> mcfg = parse_bytes(mcfg_builder({
                                                            {0, 0, 0, 255},                  // null base
                                                            {kQ35Ecam + 0x1000, 0, 0, 255},  // not 1 MiB-aligned
                                                            {kQ35Ecam, 0, 9, 8},             // end below start
                                                            {(1ull << 52) - (1ull << 20), 0, 0, 1},  // past 52 bits
                                                            {~0ull << 20, 0, 0, 255},                // wraps past 2^64
                                                            {kQ35Ecam, 0, 0, 255},
                                                        })
                                               .finish());
    ASSERT_EQ(error_of(mcfg), std::nullopt);
    EXPECT_EQ(mcfg.value().refused_entries, 5u);
    ASSERT_EQ(mcfg.value().windows.size(), 1u);
    EXPECT_EQ(mcfg.value().windows[0].base_address, kQ35Ecam);
}

TEST(AcpiMcfg, WindowEndingAtThePhysicalLimitAccepted) {
    const ErrorOr<Mcfg> mcfg = parse_bytes(mcfg_builder({{(1ull << 52) - (2ull << 20), 0, 0, 1}}).finish());
    ASSERT_EQ(error_of(mcfg), std::nullopt);
    EXPECT_EQ(mcfg.value().windows.size(), 1u);
}

TEST(AcpiMcfg, MoreEntriesThanRoomKeepsTheFirstAndCounts) {
    std::vector<Entry> entries;
    for (uint16_t segment = 0; segment < 20; ++segment) entries.push_back({kQ35Ecam, segment, 0, 0});
    const ErrorOr<Mcfg> mcfg = parse_bytes(mcfg_builder(entries).finish());
    ASSERT_EQ(error_of(mcfg), std::nullopt);
    EXPECT_EQ(mcfg.value().windows.size(), decltype(Mcfg::windows)::kCapacity);
    EXPECT_EQ(mcfg.value().windows.dropped(), 20u - decltype(Mcfg::windows)::kCapacity);
}

TEST(AcpiMcfg, FindsTheWindowOfASegmentsBus) {
    const ErrorOr<Mcfg> parsed =
        parse_bytes(mcfg_builder({{kQ35Ecam, 0, 0, 15}, {0xC0000000, 0, 32, 63}, {0xE0000000, 1, 0, 255}}).finish());
    ASSERT_EQ(error_of(parsed), std::nullopt);
    const Mcfg& mcfg = parsed.value();
    ASSERT_NE(find_ecam_window(mcfg, 0, 15), nullptr);
    EXPECT_EQ(find_ecam_window(mcfg, 0, 15)->base_address, kQ35Ecam);
    EXPECT_EQ(find_ecam_window(mcfg, 0, 16), nullptr);  // between the windows
    ASSERT_NE(find_ecam_window(mcfg, 0, 32), nullptr);
    EXPECT_EQ(find_ecam_window(mcfg, 0, 32)->base_address, 0xC0000000u);
    ASSERT_NE(find_ecam_window(mcfg, 1, 200), nullptr);
    EXPECT_EQ(find_ecam_window(mcfg, 1, 200)->segment, 1);
    EXPECT_EQ(find_ecam_window(mcfg, 2, 0), nullptr);
}

TEST(AcpiMcfg, WrongSignatureRejected) {
    std::vector<uint8_t> bytes = TableBuilder("MCFX", 1).u64(0).finish();
    EXPECT_EQ(error_of(parse_bytes(bytes)), Error::AcpiTableBadSignature);
}

}  // namespace
