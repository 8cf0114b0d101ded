// Host tests for the ACPI parser: the real tables QEMU builds under SeaBIOS and OVMF, then crafted broken ones.
#include "acpi/acpi.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "acpi_test_support.hpp"
#include "error_test_support.hpp"

#ifndef MINK_TEST_DATA_DIR
#error "define MINK_TEST_DATA_DIR as a string literal naming tests/data, e.g. -DMINK_TEST_DATA_DIR=\"/path/tests/data\""
#endif

namespace {

using namespace kernel::acpi;
using acpi_test::fadt_builder;
using acpi_test::FakeMemory;
using acpi_test::hpet_table;
using acpi_test::madt_builder;
using acpi_test::make_rsdp;
using acpi_test::small_madt;
using acpi_test::TableBuilder;
using kernel::Error;
using kernel::error_of;
using kernel::ErrorOr;

constexpr uint64_t kLocalApicBase = 0xFEE00000;
constexpr uint64_t kIoApicBase = 0xFEC00000;
constexpr uint64_t kHpetBase = 0xFED00000;
// The PM timer sits at PM base + 8, and the firmware picks the base: SeaBIOS (and OVMF on q35) 0x600, OVMF on
// pc's PIIX4 0xB000.
constexpr uint16_t kPmTimerBase600 = 0x608;
constexpr uint16_t kPmTimerBaseB000 = 0xB008;
constexpr uint16_t kIntelVendor = 0x8086;

std::vector<uint8_t> read_file(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

// A capture folder as tools/capture_acpi.py writes it: RSDP.bin, maybe RSDP-v1.bin, and SIG-ADDRESS.bin tables.
struct Capture {
    std::vector<uint8_t> rsdp;
    std::vector<uint8_t> rsdp_v1;
    FakeMemory memory;
    std::set<std::string> signatures;
};

std::filesystem::path capture_folder(const std::string& name) {
    return std::filesystem::path(MINK_TEST_DATA_DIR) / "acpi" / name;
}

void load_capture(const std::string& name, Capture& capture) {
    std::filesystem::path folder = capture_folder(name);
    ASSERT_TRUE(std::filesystem::is_directory(folder)) << folder;
    for (const auto& file : std::filesystem::directory_iterator(folder)) {
        std::string stem = file.path().stem().string();
        if (stem == "RSDP") {
            capture.rsdp = read_file(file.path());
        } else if (stem == "RSDP-v1") {
            capture.rsdp_v1 = read_file(file.path());
        } else if (file.path().extension() == ".bin" && stem.size() > 5 && stem[4] == '-') {
            capture.memory.add(std::stoull(stem.substr(5), nullptr, 16), read_file(file.path()));
            capture.signatures.insert(stem.substr(0, 4));
        }
    }
    ASSERT_FALSE(capture.rsdp.empty()) << "no RSDP.bin in " << folder;
}

ErrorOr<Summary> parse_capture(const Capture& capture, bool use_v1 = false) {
    const std::vector<uint8_t>& rsdp = use_v1 ? capture.rsdp_v1 : capture.rsdp;
    return parse(rsdp.data(), rsdp.size(), capture.memory);
}

// What QEMU 7.2 builds for both machines, whichever firmware installs it: one CPU, one I/O APIC, the ISA
// overrides of its PIIX/ICH9 wiring, LINT1 as NMI on every CPU, and an HPET.
void expect_qemu_madt(const Madt& madt) {
    EXPECT_EQ(madt.local_apic_address, kLocalApicBase);
    EXPECT_FALSE(madt.local_apic_address_overridden);
    EXPECT_TRUE(madt.has_8259);
    ASSERT_EQ(madt.processors.size(), 1u);
    EXPECT_EQ(madt.processors[0].apic_id, 0u);
    EXPECT_TRUE(madt.processors[0].enabled);
    EXPECT_FALSE(madt.processors[0].x2apic);
    ASSERT_EQ(madt.io_apics.size(), 1u);
    EXPECT_EQ(madt.io_apics[0].address, kIoApicBase);
    EXPECT_EQ(madt.io_apics[0].gsi_base, 0u);
    ASSERT_EQ(madt.overrides.size(), 5u);
    IsaIrqRoute timer = isa_irq_route(madt, 0);
    EXPECT_EQ(timer.gsi, 2u);
    EXPECT_TRUE(timer.overridden);
    EXPECT_EQ(timer.polarity, Polarity::ActiveHigh);
    EXPECT_EQ(timer.trigger, TriggerMode::Edge);
    for (uint8_t pci_irq : {5, 9, 10, 11}) {
        IsaIrqRoute route = isa_irq_route(madt, pci_irq);
        EXPECT_EQ(route.gsi, pci_irq);
        EXPECT_EQ(route.polarity, Polarity::ActiveHigh);
        EXPECT_EQ(route.trigger, TriggerMode::Level);
    }
    IsaIrqRoute keyboard = isa_irq_route(madt, 1);
    EXPECT_EQ(keyboard.gsi, 1u);
    EXPECT_FALSE(keyboard.overridden);
    ASSERT_EQ(madt.local_apic_nmis.size(), 1u);
    EXPECT_TRUE(madt.local_apic_nmis[0].all_processors);
    EXPECT_EQ(madt.local_apic_nmis[0].lint, 1);
    EXPECT_EQ(madt.nmi_sources.size(), 0u);
    EXPECT_EQ(madt.unknown_entries, 0u);
}

void expect_qemu_hpet(const Found<Hpet>& hpet) {
    ASSERT_EQ(error_of(hpet), std::nullopt);
    EXPECT_EQ(hpet->base_address, kHpetBase);
    EXPECT_EQ(hpet->hpet_number, 0);
    EXPECT_EQ(hpet->minimum_clock_tick, 0);
    EXPECT_EQ(hpet->pci_vendor_id, kIntelVendor);
    EXPECT_EQ(hpet->comparators, 3);
    EXPECT_TRUE(hpet->counter_64_bit);
    EXPECT_TRUE(hpet->legacy_replacement);
}

void expect_common(const ErrorOr<Summary>& summary, const Capture& capture, uint16_t pm_timer_port) {
    ASSERT_EQ(error_of(summary), std::nullopt);
    EXPECT_STREQ(summary->oem_id, "BOCHS ");
    ASSERT_EQ(error_of(summary->madt), std::nullopt);
    expect_qemu_madt(summary->madt.value());
    expect_qemu_hpet(summary->hpet);
    ASSERT_EQ(error_of(summary->fadt), std::nullopt);
    const Fadt& fadt = summary->fadt.value();
    EXPECT_EQ(fadt.sci_interrupt, 9);
    EXPECT_TRUE(fadt.pm_timer.present);
    EXPECT_EQ(fadt.pm_timer.port, pm_timer_port);
    EXPECT_FALSE(fadt.pm_timer.counts_32_bits);  // QEMU's PM timer is 24 bits wide.
    EXPECT_FALSE(fadt.hardware_reduced);
    EXPECT_EQ(summary->unreadable_entries, 0u);
    EXPECT_EQ(summary->tables.dropped(), 0u);
    for (const TableEntry& entry : summary->tables) {
        EXPECT_TRUE(capture.signatures.count(entry.signature)) << entry.signature;
    }
}

// pc: FADT revision 1 (ACPI 1.0, 116 bytes), so IAPC_BOOT_ARCH is reserved and says nothing about the 8042.
void expect_pc_fadt(const Fadt& fadt) {
    EXPECT_EQ(fadt.revision, 1);
    EXPECT_FALSE(fadt.boot_arch_valid);
    EXPECT_FALSE(fadt.reset.supported);
}

// q35: FADT revision 3 (244 bytes) with the 8042 flag set, the PM timer in X_PM_TMR_BLK, reset through 0xCF9.
void expect_q35_fadt(const Fadt& fadt) {
    EXPECT_EQ(fadt.revision, 3);
    ASSERT_TRUE(fadt.boot_arch_valid);
    EXPECT_TRUE(fadt.boot_arch.has_8042);
    EXPECT_FALSE(fadt.boot_arch.legacy_devices);
    EXPECT_FALSE(fadt.boot_arch.vga_not_present);
    EXPECT_FALSE(fadt.boot_arch.msi_not_supported);
    ASSERT_TRUE(fadt.reset.supported);
    EXPECT_EQ(fadt.reset.address.address_space, static_cast<uint8_t>(AddressSpace::SystemIo));
    EXPECT_EQ(fadt.reset.address.address, 0xCF9u);
    EXPECT_EQ(fadt.reset.value, 0x0F);
}

// q35 has one ECAM window, segment 0's 256 buses at 0xB0000000; pc's PIIX has none, so it has no MCFG.
void expect_q35_mcfg(const Found<Mcfg>& mcfg) {
    ASSERT_EQ(error_of(mcfg), std::nullopt);
    ASSERT_EQ(mcfg.value().windows.size(), 1u);
    const EcamWindow& window = mcfg.value().windows[0];
    EXPECT_EQ(window.base_address, 0xB0000000u);
    EXPECT_EQ(window.segment, 0);
    EXPECT_EQ(window.start_bus, 0);
    EXPECT_EQ(window.end_bus, 255);
    EXPECT_EQ(mcfg.value().refused_entries, 0u);
}

TEST(AcpiCapture, PcSeaBios) {
    Capture capture;
    ASSERT_NO_FATAL_FAILURE(load_capture("pc-seabios", capture));
    const ErrorOr<Summary> summary = parse_capture(capture);
    ASSERT_NO_FATAL_FAILURE(expect_common(summary, capture, kPmTimerBase600));
    EXPECT_EQ(summary->rsdp_revision, 0);
    EXPECT_EQ(summary->root, RootKind::Rsdt);
    EXPECT_EQ(summary->tables.size(), 4u);  // FACP APIC HPET WAET
    expect_pc_fadt(summary->fadt.value());
    EXPECT_EQ(error_of(summary->mcfg), Error::AcpiNotFound);
}

TEST(AcpiCapture, Q35SeaBios) {
    Capture capture;
    ASSERT_NO_FATAL_FAILURE(load_capture("q35-seabios", capture));
    const ErrorOr<Summary> summary = parse_capture(capture);
    ASSERT_NO_FATAL_FAILURE(expect_common(summary, capture, kPmTimerBase600));
    EXPECT_EQ(summary->root, RootKind::Rsdt);
    EXPECT_EQ(summary->tables.size(), 5u);  // FACP APIC HPET MCFG WAET
    expect_q35_fadt(summary->fadt.value());
    expect_q35_mcfg(summary->mcfg);
}

// OVMF installs QEMU's tables behind its own ACPI 2.0 RSDP and XSDT, and a separate ACPI 1.0 RSDP and RSDT.
TEST(AcpiCapture, PcOvmfUsesXsdt) {
    Capture capture;
    ASSERT_NO_FATAL_FAILURE(load_capture("pc-ovmf", capture));
    const ErrorOr<Summary> summary = parse_capture(capture);
    ASSERT_NO_FATAL_FAILURE(expect_common(summary, capture, kPmTimerBaseB000));
    EXPECT_EQ(summary->rsdp_revision, 2);
    EXPECT_EQ(summary->root, RootKind::Xsdt);
    EXPECT_FALSE(summary->xsdt_error.has_value());
    EXPECT_EQ(summary->tables.size(), 5u);  // FACP APIC HPET WAET BGRT
    expect_pc_fadt(summary->fadt.value());
}

TEST(AcpiCapture, Q35OvmfUsesXsdt) {
    Capture capture;
    ASSERT_NO_FATAL_FAILURE(load_capture("q35-ovmf", capture));
    const ErrorOr<Summary> summary = parse_capture(capture);
    ASSERT_NO_FATAL_FAILURE(expect_common(summary, capture, kPmTimerBase600));
    EXPECT_EQ(summary->root, RootKind::Xsdt);
    EXPECT_EQ(summary->tables.size(), 6u);  // FACP APIC HPET MCFG WAET BGRT
    expect_q35_fadt(summary->fadt.value());
    expect_q35_mcfg(summary->mcfg);
}

TEST(AcpiCapture, OvmfAcpi10RsdpReachesTheSameTables) {
    for (auto [name, port] : {std::pair{"pc-ovmf", kPmTimerBaseB000}, std::pair{"q35-ovmf", kPmTimerBase600}}) {
        Capture capture;
        ASSERT_NO_FATAL_FAILURE(load_capture(name, capture));
        ASSERT_EQ(capture.rsdp_v1.size(), 20u) << name;
        const ErrorOr<Summary> summary = parse_capture(capture, true);
        ASSERT_NO_FATAL_FAILURE(expect_common(summary, capture, port));
        EXPECT_EQ(summary->rsdp_revision, 0);
        EXPECT_EQ(summary->root, RootKind::Rsdt);
    }
}

// The Multiboot2 tag 14 of an ACPI 2.0 RSDP holds only its first 20 bytes: the RSDT is then the way in.
TEST(AcpiCapture, Acpi20RsdpCutToTwentyBytesFallsBackToRsdt) {
    Capture capture;
    ASSERT_NO_FATAL_FAILURE(load_capture("q35-ovmf", capture));
    const ErrorOr<Summary> summary = parse(capture.rsdp.data(), 20, capture.memory);
    ASSERT_NO_FATAL_FAILURE(expect_common(summary, capture, kPmTimerBase600));
    EXPECT_EQ(summary->rsdp_revision, 2);
    EXPECT_EQ(summary->root, RootKind::Rsdt);
}

TEST(AcpiCapture, EveryBitFlipInACapturedTableIsCaught) {
    Capture capture;
    ASSERT_NO_FATAL_FAILURE(load_capture("q35-seabios", capture));
    for (const auto& file : std::filesystem::directory_iterator(capture_folder("q35-seabios"))) {
        std::vector<uint8_t> table = read_file(file.path());
        if (file.path().stem().string().substr(0, 4) == "RSDP") continue;
        for (size_t bit = 0; bit < table.size() * 8; ++bit) {
            std::vector<uint8_t> broken = table;
            broken[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
            char signature[4];
            std::memcpy(signature, table.data(), 4);
            EXPECT_NE(error_of(check_table(broken.data(), broken.size(), signature)), std::nullopt)
                << file.path() << " bit " << bit;
        }
    }
}

// ---- Crafted systems: one RSDT (or XSDT) and a few tables at made-up addresses ----

constexpr uint64_t kRsdtAt = 0x1000;
constexpr uint64_t kXsdtAt = 0x1800;
constexpr uint64_t kFadtAt = 0x2000;
constexpr uint64_t kMadtAt = 0x3000;
constexpr uint64_t kHpetAt = 0x4000;
constexpr uint64_t kAbove4GiB = 0x1'2345'6000;

// The RSDP goes into a buffer of exactly its size, like the boot information's copy.
ErrorOr<Summary> parse_exact(const std::vector<uint8_t>& rsdp, const FakeMemory& memory) {
    std::unique_ptr<uint8_t[]> copy = std::make_unique<uint8_t[]>(rsdp.size());
    if (!rsdp.empty()) std::memcpy(copy.get(), rsdp.data(), rsdp.size());
    return parse(copy.get(), rsdp.size(), memory);
}

std::vector<uint8_t> root_table(const char* signature, const std::vector<uint64_t>& entries) {
    TableBuilder builder(signature);
    for (uint64_t entry : entries) {
        if (signature[0] == 'X') {
            builder.u64(entry);
        } else {
            builder.u32(static_cast<uint32_t>(entry));
        }
    }
    return builder.finish();
}

struct System {
    FakeMemory memory;
    std::vector<uint8_t> rsdp = make_rsdp(0, kRsdtAt);

    // The usual three tables behind an RSDT.
    static void standard(System& system) {
        system.memory.add(kRsdtAt, root_table("RSDT", {kFadtAt, kMadtAt, kHpetAt}));
        system.memory.add(kFadtAt, fadt_builder().finish());
        system.memory.add(kMadtAt, small_madt());
        system.memory.add(kHpetAt, hpet_table());
    }
    // Points the RSDP at a new RSDT listing these tables, placed where nothing else is.
    void use_rsdt(const std::vector<uint64_t>& entries) {
        constexpr uint64_t kOtherRsdt = 0x80000;
        memory.add(kOtherRsdt, root_table("RSDT", entries));
        rsdp = make_rsdp(0, kOtherRsdt);
    }
    ErrorOr<Summary> parse() const { return parse_exact(rsdp, memory); }
};

TEST(AcpiErrors, EveryErrorHasItsOwnText) {
    const std::vector<std::string> texts = kernel::error_texts("Acpi");
    EXPECT_EQ(std::set<std::string>(texts.begin(), texts.end()).size(), texts.size());
}

TEST(AcpiSystem, StandardSystemParses) {
    System system;
    System::standard(system);
    const ErrorOr<Summary> summary = system.parse();
    ASSERT_EQ(error_of(summary), std::nullopt);
    EXPECT_EQ(summary->root, RootKind::Rsdt);
    EXPECT_EQ(summary->root_address, kRsdtAt);
    EXPECT_STREQ(summary->oem_id, "MINK  ");
    ASSERT_EQ(summary->tables.size(), 3u);
    EXPECT_STREQ(summary->tables[1].signature, "APIC");
    EXPECT_EQ(summary->tables[1].address, kMadtAt);
    EXPECT_TRUE(!summary->madt.is_error() && !summary->fadt.is_error() && !summary->hpet.is_error());
    EXPECT_EQ(summary->madt.address, kMadtAt);
}

// ---- RSDP ----

TEST(AcpiRsdp, MissingOrShortRejected) {
    FakeMemory memory;
    EXPECT_EQ(error_of(parse(nullptr, 36, memory)), Error::AcpiRsdpTooShort);
    std::vector<uint8_t> rsdp = make_rsdp(0, kRsdtAt);
    rsdp.resize(19);
    EXPECT_EQ(error_of(parse_exact(rsdp, memory)), Error::AcpiRsdpTooShort);
    EXPECT_EQ(error_of(parse_exact({}, memory)), Error::AcpiRsdpTooShort);
}

TEST(AcpiRsdp, BadSignatureRejected) {
    System system;
    system.rsdp[7] = '_';
    acpi_test::set_checksum(system.rsdp, 8, 20);
    EXPECT_EQ(error_of(system.parse()), Error::AcpiRsdpBadSignature);
}

TEST(AcpiRsdp, BadChecksumRejected) {
    System system;
    system.rsdp[8] ^= 1;
    EXPECT_EQ(error_of(system.parse()), Error::AcpiRsdpBadChecksum);
}

TEST(AcpiRsdp, BadExtendedChecksumRejected) {
    System system;
    system.rsdp = make_rsdp(2, kRsdtAt, 0);
    system.rsdp[33] ^= 1;  // Reserved, outside the first 20 bytes.
    EXPECT_EQ(error_of(system.parse()), Error::AcpiRsdpBadExtendedChecksum);
}

TEST(AcpiRsdp, BadLengthRejected) {
    for (uint32_t length : {0u, 20u, 35u, 37u, 0xFFFFFFFFu}) {
        System system;
        system.rsdp = make_rsdp(2, kRsdtAt, 0);
        std::memcpy(system.rsdp.data() + 20, &length, 4);
        acpi_test::set_checksum(system.rsdp, 32, 36);
        EXPECT_EQ(error_of(system.parse()), Error::AcpiRsdpBadLength) << length;
    }
}

TEST(AcpiRsdp, LongerRsdpWithinItsCopyAccepted) {
    System system;
    System::standard(system);
    system.rsdp = make_rsdp(2, kRsdtAt, 0);
    system.rsdp.resize(40, 0);
    uint32_t length = 40;
    std::memcpy(system.rsdp.data() + 20, &length, 4);
    acpi_test::set_checksum(system.rsdp, 32, 40);
    EXPECT_EQ(error_of(system.parse()), std::nullopt);
}

TEST(AcpiRsdp, NoRootTableRejected) {
    System system;
    system.rsdp = make_rsdp(2, 0, 0);
    EXPECT_EQ(error_of(system.parse()), Error::AcpiNoRootTable);
    system.rsdp = make_rsdp(0, 0);
    EXPECT_EQ(error_of(system.parse()), Error::AcpiNoRootTable);
}

TEST(AcpiRsdp, Revision2WithoutXsdtUsesRsdt) {
    System system;
    System::standard(system);
    system.rsdp = make_rsdp(2, kRsdtAt, 0);
    const ErrorOr<Summary> summary = system.parse();
    ASSERT_EQ(error_of(summary), std::nullopt);
    EXPECT_EQ(summary->root, RootKind::Rsdt);
}

// A revision-0 RSDP's bytes 20..35 are not part of it, even when the copy happens to be longer.
TEST(AcpiRsdp, Revision0IgnoresAnXsdtAddressPastTwentyBytes) {
    System system;
    System::standard(system);
    system.memory.add(kXsdtAt, root_table("XSDT", {}));
    system.rsdp = make_rsdp(2, kRsdtAt, kXsdtAt);
    system.rsdp[15] = 0;
    acpi_test::set_checksum(system.rsdp, 8, 20);
    EXPECT_EQ(system.parse()->root, RootKind::Rsdt);
}

// ---- RSDT / XSDT ----

TEST(AcpiRoot, XsdtPreferredAndReachesTablesAbove4GiB) {
    System system;
    System::standard(system);
    system.memory.add(kAbove4GiB, madt_builder().u8(0).u8(8).u8(7).u8(3).u32(1).finish());
    system.memory.add(kXsdtAt, root_table("XSDT", {kFadtAt, kAbove4GiB}));
    system.rsdp = make_rsdp(2, kRsdtAt, kXsdtAt);
    const ErrorOr<Summary> summary = system.parse();
    ASSERT_EQ(error_of(summary), std::nullopt);
    EXPECT_EQ(summary->root, RootKind::Xsdt);
    EXPECT_EQ(summary->root_address, kXsdtAt);
    ASSERT_TRUE(!summary->madt.is_error());
    EXPECT_EQ(summary->madt.address, kAbove4GiB);
    EXPECT_EQ(summary->madt.value().processors[0].apic_id, 3u);
    EXPECT_EQ(error_of(summary->hpet), Error::AcpiNotFound);  // Only the RSDT lists it.
}

TEST(AcpiRoot, BrokenXsdtFallsBackToRsdt) {
    System system;
    System::standard(system);
    std::vector<uint8_t> xsdt = root_table("XSDT", {kFadtAt});
    xsdt[9] ^= 1;
    system.memory.add(kXsdtAt, xsdt);
    system.rsdp = make_rsdp(2, kRsdtAt, kXsdtAt);
    const ErrorOr<Summary> summary = system.parse();
    ASSERT_EQ(error_of(summary), std::nullopt);
    EXPECT_EQ(summary->root, RootKind::Rsdt);
    ASSERT_TRUE(summary->xsdt_error.has_value());
    EXPECT_EQ(summary->xsdt_error.value(), Error::AcpiTableBadChecksum);
    EXPECT_TRUE(!summary->hpet.is_error());
}

TEST(AcpiRoot, BrokenXsdtWithoutRsdtReportsTheXsdtError) {
    System system;
    System::standard(system);
    system.rsdp = make_rsdp(2, 0, 0xDEAD0000);
    const ErrorOr<Summary> summary = system.parse();
    EXPECT_EQ(error_of(summary), Error::AcpiTableHeaderUnreadable);  // An error carries no Summary: no root was chosen.
}

TEST(AcpiRoot, RootTableFaultsReported) {
    struct Case {
        std::vector<uint8_t> rsdt;
        size_t readable;
        Error expected;
    };
    std::vector<uint8_t> bad_checksum = root_table("RSDT", {kFadtAt});
    bad_checksum[9] ^= 0xFF;
    std::vector<Case> cases = {
        {TableBuilder("RSDT").finish(35), 36, Error::AcpiTableTooShort},
        {TableBuilder("RSDT").zeros(4).finish(0xFFFFFFFF), 40, Error::AcpiTableUnreadable},
        {root_table("RSDT", {kFadtAt}), 39, Error::AcpiTableUnreadable},  // The entry's last byte is not readable.
        {TableBuilder("RSDT").finish(), 35, Error::AcpiTableHeaderUnreadable},
        {bad_checksum, 40, Error::AcpiTableBadChecksum},
        {root_table("XSDT", {kFadtAt}), 40, Error::AcpiTableBadSignature},
        {TableBuilder("RSDT").u32(kFadtAt).u8(0).finish(), 41, Error::AcpiRootTableBadLength},
    };
    for (size_t i = 0; i < cases.size(); ++i) {
        System system;
        std::vector<uint8_t> rsdt = cases[i].rsdt;
        rsdt.resize(cases[i].readable, 0);
        system.memory.add(kRsdtAt, rsdt);
        EXPECT_EQ(error_of(system.parse()), cases[i].expected) << "case " << i;
    }
}

TEST(AcpiRoot, ZeroLengthRootRejected) {
    System system;
    std::vector<uint8_t> rsdt = TableBuilder("RSDT").finish();
    std::memset(rsdt.data() + 4, 0, 4);
    system.memory.add(kRsdtAt, rsdt);
    EXPECT_EQ(error_of(system.parse()), Error::AcpiTableTooShort);
}

TEST(AcpiRoot, UnreadableAndWrappingEntriesSkipped) {
    System system;
    System::standard(system);
    system.memory.add(kXsdtAt, root_table("XSDT", {0xDEAD0000, UINT64_MAX - 8, kMadtAt, 0}));
    system.rsdp = make_rsdp(2, 0, kXsdtAt);
    const ErrorOr<Summary> summary = system.parse();
    ASSERT_EQ(error_of(summary), std::nullopt);
    EXPECT_EQ(summary->unreadable_entries, 3u);
    EXPECT_TRUE(!summary->madt.is_error());
    EXPECT_EQ(error_of(summary->fadt), Error::AcpiNotFound);
}

TEST(AcpiRoot, EntryWhoseLengthRunsPastMemoryReported) {
    System system;
    System::standard(system);
    std::vector<uint8_t> hpet = hpet_table();
    hpet.resize(40);  // The header says 56 bytes; memory holds 40.
    system.memory.add(0x5000, hpet);
    system.use_rsdt({0x5000, kMadtAt});
    const ErrorOr<Summary> summary = system.parse();
    ASSERT_EQ(error_of(summary), std::nullopt);
    EXPECT_EQ(error_of(summary->hpet), Error::AcpiTableUnreadable);
    EXPECT_EQ(summary->hpet.address, 0x5000u);
    EXPECT_TRUE(!summary->madt.is_error());
}

TEST(AcpiRoot, HugeEntryCountKeepsCapacityAndCounts) {
    System system;
    System::standard(system);
    system.use_rsdt(std::vector<uint64_t>(5000, kHpetAt));
    const ErrorOr<Summary> summary = system.parse();
    ASSERT_EQ(error_of(summary), std::nullopt);
    constexpr size_t kCapacity = decltype(summary->tables)::kCapacity;
    EXPECT_EQ(summary->tables.size(), kCapacity);
    EXPECT_EQ(summary->tables.dropped(), 5000u - kCapacity);
    EXPECT_TRUE(!summary->hpet.is_error());
    // Once the HPET is found, each later copy costs one header view, not another parse.
    EXPECT_LT(system.memory.views(), 5000u + 10u);
}

TEST(AcpiRoot, MissingTableIsNotAnErrorOfTheOthers) {
    System system;
    System::standard(system);
    system.use_rsdt({kMadtAt});
    const ErrorOr<Summary> summary = system.parse();
    ASSERT_EQ(error_of(summary), std::nullopt);
    EXPECT_TRUE(!summary->madt.is_error());
    EXPECT_EQ(error_of(summary->fadt), Error::AcpiNotFound);
    EXPECT_EQ(error_of(summary->hpet), Error::AcpiNotFound);
}

TEST(AcpiRoot, BrokenTableIsNotAnErrorOfTheOthers) {
    System system;
    System::standard(system);
    std::vector<uint8_t> madt = small_madt();
    madt[20] ^= 1;
    system.memory.add(0x6000, madt);
    system.use_rsdt({kFadtAt, 0x6000, kHpetAt});
    const ErrorOr<Summary> summary = system.parse();
    ASSERT_EQ(error_of(summary), std::nullopt);
    EXPECT_EQ(error_of(summary->madt), Error::AcpiTableBadChecksum);
    EXPECT_EQ(summary->madt.address, 0x6000u);
    EXPECT_TRUE(!summary->fadt.is_error());
    EXPECT_TRUE(!summary->hpet.is_error());
}

TEST(AcpiRoot, FirstValidDuplicateWins) {
    System system;
    System::standard(system);
    std::vector<uint8_t> broken = small_madt();
    broken[20] ^= 1;
    system.memory.add(0x6000, broken);
    system.memory.add(0x7000, madt_builder().u8(0).u8(8).u8(0).u8(9).u32(1).finish());
    system.use_rsdt({0x6000, kMadtAt, 0x7000});
    const ErrorOr<Summary> summary = system.parse();
    ASSERT_TRUE(!summary->madt.is_error());
    EXPECT_EQ(summary->madt.address, kMadtAt);
}

}  // namespace
