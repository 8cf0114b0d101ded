// Host tests for the MADT, FADT and HPET decoders on crafted tables: every length check, every field.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

#include "acpi/fadt.hpp"
#include "acpi/hpet.hpp"
#include "acpi/madt.hpp"
#include "acpi/tables.hpp"
#include "acpi_test_support.hpp"
#include "error_test_support.hpp"

namespace {

using namespace kernel::acpi;
using acpi_test::fadt_builder;
using acpi_test::FakeMemory;
using acpi_test::hpet_table;
using acpi_test::madt_builder;
using acpi_test::TableBuilder;
using kernel::Error;
using kernel::error_of;
using kernel::ErrorOr;

constexpr uint64_t kTableAt = 0x3000;

// Through read_table, so the bytes sit in a buffer of exactly the table's size and the checksum is checked too.
template <typename T>
ErrorOr<T> parse_bytes(const std::vector<uint8_t>& bytes, const char* signature,
                       ErrorOr<T> (*parse_table)(const Table&)) {
    FakeMemory memory;
    memory.add(kTableAt, bytes);
    const ErrorOr<Table> table = read_table(memory, kTableAt, signature);
    return table.is_error() ? ErrorOr<T>(table.error()) : parse_table(table.value());
}

std::optional<Error> madt_error(const std::vector<uint8_t>& bytes) {
    return error_of(parse_bytes(bytes, kMadtSignature, parse_madt));
}

// The decoded table; a default one (after a failed expectation) when it does not parse.
template <typename T>
T value_of(const ErrorOr<T>& parsed) {
    EXPECT_EQ(error_of(parsed), std::nullopt);
    return parsed.is_error() ? T{} : parsed.value();
}

Madt madt_of(const std::vector<uint8_t>& bytes) {
    return value_of(parse_bytes(bytes, kMadtSignature, parse_madt));
}

Fadt fadt_of(const std::vector<uint8_t>& bytes) {
    return value_of(parse_bytes(bytes, kFadtSignature, parse_fadt));
}

}  // namespace

namespace {

// ---- MADT ----

TEST(AcpiMadt, FixedPartOnlyAccepted) {
    Madt madt = madt_of(madt_builder(0xFEE00000, 0).finish());
    EXPECT_EQ(madt.local_apic_address, 0xFEE00000u);
    EXPECT_FALSE(madt.has_8259);
    EXPECT_TRUE(madt.processors.empty());
}

TEST(AcpiMadt, ShorterThanFixedPartRejected) {
    EXPECT_EQ(madt_error(TableBuilder("APIC").u32(0xFEE00000).finish()), Error::AcpiMadtTooShort);
    EXPECT_EQ(madt_error(TableBuilder("APIC").finish()), Error::AcpiMadtTooShort);
}

TEST(AcpiMadt, EntryOfLengthZeroOrOneRejectedWithoutLooping) {
    EXPECT_EQ(madt_error(madt_builder().u8(0).u8(0).zeros(6).finish()), Error::AcpiMadtEntryTooShort);
    EXPECT_EQ(madt_error(madt_builder().u8(0x7F).u8(1).zeros(6).finish()), Error::AcpiMadtEntryTooShort);
}

TEST(AcpiMadt, EntryPastTheEndRejected) {
    EXPECT_EQ(madt_error(madt_builder().u8(0).finish()), Error::AcpiMadtEntryPastEnd);  // One byte left.
    EXPECT_EQ(madt_error(madt_builder().u8(0).u8(8).zeros(4).finish()), Error::AcpiMadtEntryPastEnd);
    EXPECT_EQ(madt_error(madt_builder().u8(0x7F).u8(255).zeros(10).finish()), Error::AcpiMadtEntryPastEnd);
}

TEST(AcpiMadt, EveryKnownTypeCheckedForItsMinimumLength) {
    struct Minimum {
        uint8_t type;
        uint8_t length;
    };
    for (Minimum minimum : {Minimum{0, 8}, {1, 12}, {2, 10}, {3, 8}, {4, 6}, {5, 12}, {9, 16}, {10, 12}}) {
        uint8_t short_length = static_cast<uint8_t>(minimum.length - 1);
        auto bytes = madt_builder().u8(minimum.type).u8(short_length).zeros(short_length - 2u).finish();
        EXPECT_EQ(madt_error(bytes), Error::AcpiMadtEntryTooShortForType) << int{minimum.type};
        auto exact = madt_builder().u8(minimum.type).u8(minimum.length).zeros(minimum.length - 2u).finish();
        EXPECT_EQ(madt_error(exact), std::nullopt) << int{minimum.type};
    }
}

TEST(AcpiMadt, UnknownTypesSkippedByTheirLength) {
    Madt madt =
        madt_of(madt_builder().u8(0x7F).u8(2).u8(0x0B).u8(80).zeros(78).u8(0).u8(8).u8(1).u8(4).u32(1).finish());
    EXPECT_EQ(madt.unknown_entries, 2u);
    ASSERT_EQ(madt.processors.size(), 1u);
    EXPECT_EQ(madt.processors[0].apic_id, 4u);
}

TEST(AcpiMadt, LongerEntriesThanTheirTypeNeedsAccepted) {
    Madt madt = madt_of(madt_builder().u8(1).u8(16).u8(2).u8(0).u32(0xFEC01000).u32(24).u32(0xFFFFFFFF).finish());
    ASSERT_EQ(madt.io_apics.size(), 1u);
    EXPECT_EQ(madt.io_apics[0].id, 2);
    EXPECT_EQ(madt.io_apics[0].address, 0xFEC01000u);
    EXPECT_EQ(madt.io_apics[0].gsi_base, 24u);
}

TEST(AcpiMadt, EveryEntryTypeDecoded) {
    TableBuilder builder = madt_builder(0xFEE00000, 0);
    builder.u8(0).u8(8).u8(7).u8(1).u32(kProcessorOnlineCapable);              // Local APIC, disabled.
    builder.u8(9).u8(16).u16(0).u32(0x1234).u32(kProcessorEnabled).u32(0x99);  // x2APIC.
    builder.u8(1).u8(12).u8(8).u8(0).u32(0xFEC00000).u32(0);                   // I/O APIC.
    builder.u8(2).u8(10).u8(0).u8(9).u32(20).u16(0xF);                         // Override: low, level.
    builder.u8(3).u8(8).u16(0x5).u32(23);                                      // NMI source: high, edge.
    builder.u8(4).u8(6).u8(2).u16(0).u8(0);                                    // Local APIC NMI, CPU 2, LINT0.
    builder.u8(10).u8(12).u16(0xD).u32(0xFFFFFFFF).u8(1).zeros(3);             // x2APIC NMI, all CPUs.
    builder.u8(5).u8(12).u16(0).u64(0x1'0000'0000);                            // Local APIC address override.
    Madt madt = madt_of(builder.finish());
    ASSERT_EQ(madt.processors.size(), 2u);
    EXPECT_EQ(madt.processors[0].apic_id, 1u);
    EXPECT_EQ(madt.processors[0].acpi_uid, 7u);
    EXPECT_FALSE(madt.processors[0].enabled);
    EXPECT_TRUE(madt.processors[0].online_capable);
    EXPECT_TRUE(madt.processors[1].x2apic);
    EXPECT_EQ(madt.processors[1].apic_id, 0x1234u);
    EXPECT_EQ(madt.processors[1].acpi_uid, 0x99u);
    EXPECT_TRUE(madt.processors[1].enabled);
    ASSERT_EQ(madt.overrides.size(), 1u);
    EXPECT_EQ(madt.overrides[0].source_irq, 9);
    EXPECT_EQ(madt.overrides[0].gsi, 20u);
    EXPECT_EQ(madt.overrides[0].polarity, Polarity::ActiveLow);
    EXPECT_EQ(madt.overrides[0].trigger, TriggerMode::Level);
    ASSERT_EQ(madt.nmi_sources.size(), 1u);
    EXPECT_EQ(madt.nmi_sources[0].gsi, 23u);
    EXPECT_EQ(madt.nmi_sources[0].polarity, Polarity::ActiveHigh);
    EXPECT_EQ(madt.nmi_sources[0].trigger, TriggerMode::Edge);
    ASSERT_EQ(madt.local_apic_nmis.size(), 2u);
    EXPECT_FALSE(madt.local_apic_nmis[0].all_processors);
    EXPECT_EQ(madt.local_apic_nmis[0].acpi_uid, 2u);
    EXPECT_EQ(madt.local_apic_nmis[0].lint, 0);
    EXPECT_TRUE(madt.local_apic_nmis[1].all_processors);
    EXPECT_EQ(madt.local_apic_nmis[1].lint, 1);
    EXPECT_EQ(madt.local_apic_nmis[1].trigger, TriggerMode::Level);
    EXPECT_TRUE(madt.local_apic_address_overridden);
    EXPECT_EQ(madt.local_apic_address, 0x1'0000'0000u);
}

TEST(AcpiMadt, FirstLocalApicAddressOverrideStands) {
    Madt madt = madt_of(madt_builder().u8(5).u8(12).u16(0).u64(0xAB000).u8(5).u8(12).u16(0).u64(0xCD000).finish());
    EXPECT_EQ(madt.local_apic_address, 0xAB000u);
}

TEST(AcpiMadt, EveryPolarityAndTriggerEncodingDecoded) {
    for (uint16_t flags = 0; flags < 16; ++flags) {
        Madt madt = madt_of(madt_builder().u8(2).u8(10).u8(0).u8(1).u32(1).u16(flags).finish());
        ASSERT_EQ(madt.overrides.size(), 1u);
        EXPECT_EQ(static_cast<uint16_t>(madt.overrides[0].polarity), flags & 3);
        EXPECT_EQ(static_cast<uint16_t>(madt.overrides[0].trigger), flags >> 2);
    }
}

TEST(AcpiMadt, OverflowingCapacityKeepsTheFirstAndCounts) {
    TableBuilder builder = madt_builder();
    for (uint32_t id = 0; id < 100; ++id)
        builder.u8(0).u8(8).u8(static_cast<uint8_t>(id)).u8(static_cast<uint8_t>(id)).u32(1);
    for (uint32_t irq = 0; irq < 40; ++irq) builder.u8(2).u8(10).u8(0).u8(static_cast<uint8_t>(irq)).u32(irq).u16(0);
    Madt madt = madt_of(builder.finish());
    EXPECT_EQ(madt.processors.size(), decltype(madt.processors)::kCapacity);
    EXPECT_EQ(madt.processors.dropped(), 100u - decltype(madt.processors)::kCapacity);
    EXPECT_EQ(madt.processors[63].apic_id, 63u);
    EXPECT_EQ(madt.overrides.size(), decltype(madt.overrides)::kCapacity);
    EXPECT_EQ(madt.overrides.dropped(), 40u - decltype(madt.overrides)::kCapacity);
}

TEST(AcpiMadt, LargestTableOfSmallestEntriesEnds) {
    TableBuilder builder = madt_builder();
    while (builder.size() + 2 <= 0xFFFF) builder.u8(0x80).u8(2);
    Madt madt = madt_of(builder.finish());
    EXPECT_EQ(madt.unknown_entries, (builder.size() - sizeof(MadtFixed)) / 2);
}

TEST(AcpiMadt, IsaRoutesApplyOverridesForBusZeroOnly) {
    Madt madt = madt_of(madt_builder()
                            .u8(2)
                            .u8(10)
                            .u8(0)
                            .u8(0)
                            .u32(2)
                            .u16(0)  // IRQ 0 -> GSI 2, conforms.
                            .u8(2)
                            .u8(10)
                            .u8(1)
                            .u8(1)
                            .u32(17)
                            .u16(0xF)  // Not ISA: ignored for IRQ 1.
                            .u8(2)
                            .u8(10)
                            .u8(0)
                            .u8(9)
                            .u32(9)
                            .u16(0xF)  // IRQ 9 active low, level.
                            .u8(2)
                            .u8(10)
                            .u8(0)
                            .u8(4)
                            .u32(4)
                            .u16(0xA)  // Reserved encodings.
                            .finish());
    IsaIrqRoute timer = isa_irq_route(madt, 0);
    EXPECT_EQ(timer.gsi, 2u);
    EXPECT_EQ(timer.polarity, Polarity::ActiveHigh);
    EXPECT_EQ(timer.trigger, TriggerMode::Edge);
    IsaIrqRoute keyboard = isa_irq_route(madt, 1);
    EXPECT_EQ(keyboard.gsi, 1u);
    EXPECT_FALSE(keyboard.overridden);
    IsaIrqRoute sci = isa_irq_route(madt, 9);
    EXPECT_EQ(sci.polarity, Polarity::ActiveLow);
    EXPECT_EQ(sci.trigger, TriggerMode::Level);
    IsaIrqRoute reserved = isa_irq_route(madt, 4);
    EXPECT_EQ(reserved.polarity, Polarity::ActiveHigh);
    EXPECT_EQ(reserved.trigger, TriggerMode::Edge);
}

// ---- FADT ----

TEST(AcpiFadt, ShorterThanAcpi10Rejected) {
    EXPECT_EQ(error_of(parse_bytes(TableBuilder("FACP").zeros(115 - 36).finish(), kFadtSignature, parse_fadt)),
              Error::AcpiFadtTooShort);
}

TEST(AcpiFadt, Acpi10FadtHasNoBootArchitectureFlags) {
    TableBuilder builder("FACP", 1);
    builder.zeros(116 - 36).put<uint32_t>(76, 0x408).put<uint8_t>(91, 4).put<uint16_t>(109, 0xFFFF);
    Fadt fadt = fadt_of(builder.finish());
    EXPECT_FALSE(fadt.boot_arch_valid);
    EXPECT_FALSE(fadt.boot_arch.has_8042);
    EXPECT_TRUE(fadt.pm_timer.present);
    EXPECT_EQ(fadt.pm_timer.port, 0x408);
    EXPECT_FALSE(fadt.reset.supported);
}

TEST(AcpiFadt, BootArchitectureNeedsRevision3) {
    EXPECT_FALSE(fadt_of(fadt_builder(kBootArch8042, 2).finish()).boot_arch_valid);
    Fadt fadt = fadt_of(fadt_builder(kBootArch8042, 3).finish());
    EXPECT_TRUE(fadt.boot_arch_valid);
    EXPECT_TRUE(fadt.boot_arch.has_8042);
}

TEST(AcpiFadt, EveryBootArchitectureFlagDecoded) {
    EXPECT_FALSE(fadt_of(fadt_builder(0).finish()).boot_arch.has_8042);  // A legacy-free PC.
    for (unsigned bit = 0; bit < 6; ++bit) {
        Fadt fadt = fadt_of(fadt_builder(static_cast<uint16_t>(1u << bit)).finish());
        const BootArch& arch = fadt.boot_arch;
        bool flags[] = {arch.legacy_devices,    arch.has_8042,           arch.vga_not_present,
                        arch.msi_not_supported, arch.pcie_aspm_controls, arch.cmos_rtc_not_present};
        for (unsigned other = 0; other < 6; ++other) EXPECT_EQ(flags[other], other == bit) << bit << " " << other;
        EXPECT_EQ(fadt.boot_arch_raw, 1u << bit);
    }
}

TEST(AcpiFadt, ExtendedPmTimerSupersedesTheOldField) {
    Fadt fadt = fadt_of(fadt_builder().put<uint64_t>(212, 0x808).finish());
    EXPECT_EQ(fadt.pm_timer.port, 0x808);
    EXPECT_EQ(fadt_of(fadt_builder().put<uint64_t>(212, 0).finish()).pm_timer.port, 0x608);
}

TEST(AcpiFadt, PmTimerOutsideIoSpaceOrPortRangeIsAbsent) {
    EXPECT_FALSE(fadt_of(fadt_builder().put<uint8_t>(208, 0).finish()).pm_timer.present);
    EXPECT_FALSE(fadt_of(fadt_builder().put<uint64_t>(212, 0xFFFE).finish()).pm_timer.present);
    EXPECT_FALSE(fadt_of(fadt_builder().put<uint64_t>(212, 0x1'0000'0608).finish()).pm_timer.present);
    EXPECT_TRUE(fadt_of(fadt_builder().put<uint64_t>(212, 0xFFFC).finish()).pm_timer.present);
    Fadt no_length = fadt_of(fadt_builder().put<uint64_t>(212, 0).put<uint8_t>(91, 0).finish());
    EXPECT_FALSE(no_length.pm_timer.present);
}

TEST(AcpiFadt, FadtEndingInsideTheExtendedTimerUsesTheOldField) {
    // 214 bytes cut X_PM_TMR_BLK's address in half: those bytes must neither be read past nor used.
    std::vector<uint8_t> bytes = fadt_builder().put<uint64_t>(212, 0x808).finish(214);
    bytes.resize(214);
    Fadt fadt = fadt_of(bytes);
    EXPECT_TRUE(fadt.pm_timer.present);
    EXPECT_EQ(fadt.pm_timer.port, 0x608);
}

TEST(AcpiFadt, TimerWidthAndHardwareReducedFlags) {
    EXPECT_TRUE(fadt_of(fadt_builder().put<uint32_t>(112, kFadtTimerValueExtended).finish()).pm_timer.counts_32_bits);
    Fadt reduced = fadt_of(fadt_builder().put<uint32_t>(112, kFadtHardwareReduced).finish());
    EXPECT_TRUE(reduced.hardware_reduced);
    EXPECT_FALSE(reduced.pm_timer.present);
}

TEST(AcpiFadt, ResetRegisterNeedsItsFlagAndTheBytes) {
    TableBuilder builder = fadt_builder().put<uint8_t>(116, 1).put<uint8_t>(117, 8).put<uint64_t>(120, 0xCF9);
    builder.put<uint8_t>(128, 6);
    EXPECT_FALSE(fadt_of(builder.finish()).reset.supported);
    builder.put<uint32_t>(112, kFadtResetRegisterSupported);
    Fadt fadt = fadt_of(builder.finish());
    ASSERT_TRUE(fadt.reset.supported);
    EXPECT_EQ(fadt.reset.address.address, 0xCF9u);
    EXPECT_EQ(fadt.reset.address.bit_width, 8);
    EXPECT_EQ(fadt.reset.value, 6);
    std::vector<uint8_t> cut = builder.finish(128);
    cut.resize(128);
    EXPECT_FALSE(fadt_of(cut).reset.supported);
}

// ---- HPET ----

TEST(AcpiHpet, FieldsDecodedAndAddressesAbove4GiBKept) {
    const ErrorOr<Hpet> parsed = parse_bytes(hpet_table(0, 0x40'0000'0000), kHpetSignature, parse_hpet);
    ASSERT_EQ(error_of(parsed), std::nullopt);
    const Hpet& hpet = parsed.value();
    EXPECT_EQ(hpet.base_address, 0x40'0000'0000u);
    EXPECT_EQ(hpet.minimum_clock_tick, 0x80);
    EXPECT_EQ(hpet.hardware_revision, 1);
    EXPECT_EQ(hpet.comparators, 3);
}

TEST(AcpiHpet, BadTablesRejected) {
    std::vector<uint8_t> short_table = TableBuilder("HPET").u32(0).gas(0, 0xFED00000).u8(0).u16(0).finish();
    EXPECT_EQ(error_of(parse_bytes(short_table, kHpetSignature, parse_hpet)), Error::AcpiHpetTooShort);
    EXPECT_EQ(error_of(parse_bytes(hpet_table(1), kHpetSignature, parse_hpet)), Error::AcpiHpetNotSystemMemory);
    EXPECT_EQ(error_of(parse_bytes(hpet_table(0, 0), kHpetSignature, parse_hpet)), Error::AcpiHpetNoAddress);
    EXPECT_EQ(error_of(parse_bytes(hpet_table(), kMadtSignature, parse_hpet)), Error::AcpiTableBadSignature);
}

}  // namespace
