// Host tests for \_S5 and what powering off needs from the FADT: hand-made AML for each encoding and each way it
// can be broken, tables compiled by iasl from tests/data/acpi/asl (AmlCompiled.*), and QEMU's real tables.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "acpi/acpi.hpp"
#include "acpi/fadt.hpp"
#include "acpi/s5.hpp"
#include "acpi_test_support.hpp"
#include "error_test_support.hpp"

#ifndef MINK_TEST_DATA_DIR
#error "define MINK_TEST_DATA_DIR as a string literal naming tests/data"
#endif
#ifndef MINK_AML_DIR
#error "define MINK_AML_DIR as a string literal naming the folder of the tables iasl compiled"
#endif

namespace {

using namespace kernel::acpi;
using acpi_test::fadt_builder;
using acpi_test::FakeMemory;
using acpi_test::make_rsdp;
using acpi_test::TableBuilder;
using kernel::Error;
using kernel::error_of;
using kernel::ErrorOr;
using Bytes = std::vector<uint8_t>;

constexpr uint8_t kSystemIo = static_cast<uint8_t>(AddressSpace::SystemIo);

// NameOp _S5_ PackageOp, then what the caller gives (PkgLength onwards).
Bytes s5(const Bytes& package) {
    Bytes bytes = {0x08, '_', 'S', '5', '_', 0x12};
    bytes.insert(bytes.end(), package.begin(), package.end());
    return bytes;
}

// Reads from a heap copy of exactly the input's size, so ASan catches any read past its end.
ErrorOr<SleepType> find(const Bytes& aml) {
    auto exact = std::make_unique<uint8_t[]>(aml.size());
    if (!aml.empty()) std::memcpy(exact.get(), aml.data(), aml.size());
    return find_s5_in_aml(exact.get(), aml.size());
}

void expect_sleep_type(const ErrorOr<SleepType>& found, uint8_t a, uint8_t b) {
    ASSERT_EQ(error_of(found), std::nullopt);
    EXPECT_EQ(found->a, a);
    EXPECT_EQ(found->b, b);
}

TEST(AmlS5, BytePrefixedPackageAtTheRoot) {
    expect_sleep_type(find(s5({0x08, 0x04, 0x0A, 0x05, 0x0A, 0x05, 0x00, 0x00})), 5, 5);
}

TEST(AmlS5, RootPrefixAndEveryIntegerForm) {
    Bytes aml = {0x08, '\\', '_', 'S', '5', '_', 0x12, 0x0A, 0x02, 0x0B, 0x03, 0x00, 0x0C, 0x06, 0x00, 0x00, 0x00};
    expect_sleep_type(find(aml), 3, 6);
    expect_sleep_type(find(s5({0x0C, 0x02, 0x0E, 0x07, 0, 0, 0, 0, 0, 0, 0, 0x01})), 7, 1);
    expect_sleep_type(find(s5({0x04, 0x02, 0x00, 0x01})), 0, 1);
}

// A four-byte PkgLength saying 10: the lead byte's nibble, then three bytes of zero.
TEST(AmlS5, FourBytePkgLength) {
    expect_sleep_type(find(s5({0xCA, 0x00, 0x00, 0x00, 0x04, 0x0A, 0x02, 0x0A, 0x04, 0x00})), 2, 4);
}

TEST(AmlS5, FoundInsideOtherAml) {
    Bytes aml = {0x10, 0x05, '_', 'S', 'B', '_', 0x5B};  // Scope (\_SB) and a stray byte
    Bytes object = s5({0x04, 0x02, 0x01, 0x01});
    aml.insert(aml.end(), object.begin(), object.end());
    expect_sleep_type(find(aml), 1, 1);
}

TEST(AmlS5, MissingAndLookalikes) {
    EXPECT_EQ(error_of(find({})), Error::AcpiS5Missing);
    EXPECT_EQ(error_of(find({'_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x01, 0x01})), Error::AcpiS5Missing);
    EXPECT_EQ(error_of(find({0x08, '_', 'S', '3', '_', 0x12, 0x04, 0x02, 0x01, 0x01})), Error::AcpiS5Missing);
    EXPECT_EQ(error_of(find({0x08, '_', 'S', '5'})), Error::AcpiS5Missing);
}

TEST(AmlS5, MalformedPackagesSayWhy) {
    EXPECT_EQ(error_of(find({0x08, '_', 'S', '5', '_', 0x0A, 0x05})), Error::AcpiS5NotPackage);
    EXPECT_EQ(error_of(find(s5({0x08, 0x04, 0x0A, 0x05}))), Error::AcpiS5Truncated);  // PkgLength past the end
    EXPECT_EQ(error_of(find(s5({0xC8, 0x00}))), Error::AcpiS5Truncated);              // its own bytes cut off
    EXPECT_EQ(error_of(find(s5({0x04, 0x04, 0x0A, 0x05}))), Error::AcpiS5Truncated);  // b outside the package
    EXPECT_EQ(error_of(find(s5({0x01}))), Error::AcpiS5Truncated);                    // no room for NumElements
    EXPECT_EQ(error_of(find(s5({0x73, 0x00}))), Error::AcpiS5NotPackage);             // reserved bits 5-4 set
    EXPECT_EQ(error_of(find(s5({0x04, 0x01, 0x0A, 0x05}))), Error::AcpiS5TooFewElements);
    EXPECT_EQ(error_of(find(s5({0x05, 0x02, 0x0D, 'x', 0x00}))), Error::AcpiS5NotInteger);  // a string
    EXPECT_EQ(error_of(find(s5({0x03, 0x02, 0xFF, 0x00}))), Error::AcpiS5NotInteger);       // OnesOp
    EXPECT_EQ(error_of(find(s5({0x05, 0x02, 0x0A, 0x08, 0x00}))), Error::AcpiS5ValueTooLarge);
    EXPECT_EQ(error_of(find(s5({0x07, 0x02, 0x0B, 0x00, 0x01, 0x00, 0x00}))), Error::AcpiS5ValueTooLarge);
}

TEST(AmlS5, AWellFormedCandidateAfterABrokenOneWins) {
    Bytes aml = s5({0x03, 0x02, 0xFF, 0x00});
    Bytes good = s5({0x04, 0x02, 0x01, 0x00});
    aml.insert(aml.end(), good.begin(), good.end());
    expect_sleep_type(find(aml), 1, 0);
}

// Every cut of a good object fails cleanly, and never reads past what it was given.
TEST(AmlS5, EveryTruncationIsRefused) {
    const Bytes whole = s5({0x0C, 0x04, 0x0C, 0x05, 0, 0, 0, 0x0C, 0x05, 0, 0, 0});
    expect_sleep_type(find(whole), 5, 5);
    for (size_t length = 0; length < whole.size(); ++length)
        EXPECT_TRUE(find(Bytes(whole.begin(), whole.begin() + length)).is_error()) << length;
}

// ---- The FADT fields powering off needs ----

TEST(FadtPower, ExtendedFieldsWinWhenSet) {
    const Bytes table = fadt_builder()
                            .put<uint32_t>(40, 0x3000)
                            .put<uint32_t>(48, 0xB2)
                            .put<uint8_t>(52, 0xF1)
                            .put<uint32_t>(64, 0x604)
                            .put<uint8_t>(89, 2)
                            .put<uint64_t>(140, 0x123456789000)
                            .put<uint8_t>(172, kSystemIo)
                            .put<uint8_t>(173, 16)
                            .put<uint64_t>(176, 0x1004)
                            .finish();
    const ErrorOr<Fadt> parsed = parse_fadt(Table{table.data(), static_cast<uint32_t>(table.size())});
    ASSERT_EQ(error_of(parsed), std::nullopt);
    const Fadt& fadt = parsed.value();
    EXPECT_EQ(fadt.dsdt_address, 0x123456789000u);
    EXPECT_EQ(fadt.pm1_control.a.address, 0x1004u);
    EXPECT_EQ(fadt.pm1_control.a.address_space, kSystemIo);
    EXPECT_EQ(fadt.pm1_control.a.bit_width, 16);
    EXPECT_EQ(fadt.pm1_control.b.address, 0u);
    EXPECT_EQ(fadt.acpi_enable.smi_command_port, 0xB2u);
    EXPECT_EQ(fadt.acpi_enable.value, 0xF1);
}

TEST(FadtPower, LegacyFieldsWhenExtendedAreZeroOrAbsent) {
    const Bytes table = fadt_builder()
                            .put<uint32_t>(40, 0x3000)
                            .put<uint32_t>(64, 0x604)
                            .put<uint32_t>(68, 0x704)
                            .put<uint8_t>(89, 2)
                            .finish();
    const ErrorOr<Fadt> parsed = parse_fadt(Table{table.data(), static_cast<uint32_t>(table.size())});
    ASSERT_EQ(error_of(parsed), std::nullopt);
    EXPECT_EQ(parsed->dsdt_address, 0x3000u);
    EXPECT_EQ(parsed->pm1_control.a.address, 0x604u);
    EXPECT_EQ(parsed->pm1_control.a.address_space, kSystemIo);
    EXPECT_EQ(parsed->pm1_control.a.bit_width, 16);
    EXPECT_EQ(parsed->pm1_control.b.address, 0x704u);
    // An ACPI 1.0 FADT (116 bytes) has no X_ fields at all.
    const Bytes short_table(table.begin(), table.begin() + kFadtMinimumLength);
    const ErrorOr<Fadt> old = parse_fadt(Table{short_table.data(), static_cast<uint32_t>(short_table.size())});
    ASSERT_EQ(error_of(old), std::nullopt);
    EXPECT_EQ(old->dsdt_address, 0x3000u);
    EXPECT_EQ(old->pm1_control.a.address, 0x604u);
}

TEST(FadtPower, HardwareReducedHasNoPm1Blocks) {
    const Bytes table = fadt_builder().put<uint32_t>(64, 0x604).put<uint32_t>(112, kFadtHardwareReduced).finish();
    const ErrorOr<Fadt> parsed = parse_fadt(Table{table.data(), static_cast<uint32_t>(table.size())});
    ASSERT_EQ(error_of(parsed), std::nullopt);
    EXPECT_EQ(parsed->pm1_control.a.address, 0u);
}

// ---- QEMU's own tables (tests/data/acpi) ----

Bytes read_file(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

// A capture folder mapped back at its addresses, and parsed from its RSDP.
struct Capture {
    FakeMemory memory;
    Bytes rsdp;
};

void load_capture(const std::string& name, Capture& capture) {
    const std::filesystem::path folder = std::filesystem::path(MINK_TEST_DATA_DIR) / "acpi" / name;
    ASSERT_TRUE(std::filesystem::is_directory(folder)) << folder;
    for (const auto& file : std::filesystem::directory_iterator(folder)) {
        const std::string stem = file.path().stem().string();
        if (stem == "RSDP")
            capture.rsdp = read_file(file.path());
        else if (file.path().extension() == ".bin" && stem.size() > 5 && stem[4] == '-' && !stem.starts_with("RSDP"))
            capture.memory.add(std::stoull(stem.substr(5), nullptr, 16), read_file(file.path()));
    }
}

struct QemuMachine {
    const char* capture;
    uint16_t pm1a_control;
    uint8_t acpi_enable;  // the value for SMI_CMD (0xB2, the APM control port, on both)
};

// PM1a_CNT is PM base + 4: 0x604, or 0xB004 on pc under OVMF. QEMU has no PM1b, and its \_S5 is {0, 0, 0, 0}.
// ACPI_ENABLE is 0xF1 on pc's PIIX4, 0x02 on q35's ICH9.
constexpr QemuMachine kMachines[] = {
    {"pc-seabios", 0x604, 0xF1}, {"q35-seabios", 0x604, 0x02}, {"pc-ovmf", 0xB004, 0xF1}, {"q35-ovmf", 0x604, 0x02}};

TEST(AcpiCaptureS5, Pm1ControlAndS5) {
    for (const QemuMachine& machine : kMachines) {
        SCOPED_TRACE(machine.capture);
        Capture capture;
        ASSERT_NO_FATAL_FAILURE(load_capture(machine.capture, capture));
        const ErrorOr<Summary> summary = parse(capture.rsdp.data(), capture.rsdp.size(), capture.memory);
        ASSERT_EQ(error_of(summary), std::nullopt);
        ASSERT_EQ(error_of(summary->fadt), std::nullopt);
        const Fadt& fadt = summary->fadt.value();
        EXPECT_NE(fadt.dsdt_address, 0u);
        EXPECT_EQ(fadt.pm1_control.a.address_space, kSystemIo);
        EXPECT_EQ(fadt.pm1_control.a.address, machine.pm1a_control);
        EXPECT_EQ(fadt.pm1_control.a.bit_width, 16);
        EXPECT_EQ(fadt.pm1_control.b.address, 0u);
        expect_sleep_type(find_s5(summary.value(), capture.memory), 0, 0);
    }
}

TEST(AcpiCaptureS5, PlanHasTheIoPorts) {
    for (const QemuMachine& machine : kMachines) {
        SCOPED_TRACE(machine.capture);
        Capture capture;
        ASSERT_NO_FATAL_FAILURE(load_capture(machine.capture, capture));
        const ErrorOr<Summary> summary = parse(capture.rsdp.data(), capture.rsdp.size(), capture.memory);
        ASSERT_EQ(error_of(summary), std::nullopt);
        const ErrorOr<S5Plan> plan = plan_s5(summary.value(), capture.memory);
        ASSERT_EQ(error_of(plan), std::nullopt);
        EXPECT_EQ(plan->pm1a_port, machine.pm1a_control);
        EXPECT_EQ(plan->pm1b_port, 0);
        EXPECT_EQ(plan->acpi_enable.smi_command_port, 0xB2u);
        EXPECT_EQ(plan->acpi_enable.value, machine.acpi_enable);
    }
}

// ---- A FADT without usable PM1 blocks: refused before \_S5 is even looked for ----

ErrorOr<S5Plan> plan_with_fadt(const Bytes& fadt) {
    constexpr uint32_t kRsdt = 0x1000, kFadt = 0x2000;
    FakeMemory memory;
    memory.add(kRsdt, TableBuilder("RSDT").u32(kFadt).finish());
    memory.add(kFadt, fadt);
    const Bytes rsdp = make_rsdp(0, kRsdt);
    const ErrorOr<Summary> summary = parse(rsdp.data(), rsdp.size(), memory);
    if (summary.is_error()) return summary.error();
    return plan_s5(summary.value(), memory);
}

TEST(S5Plan, RefusesMissingOrUnusablePm1Blocks) {
    EXPECT_EQ(error_of(plan_with_fadt(fadt_builder().finish())), Error::AcpiNoPm1Control);
    EXPECT_EQ(error_of(plan_with_fadt(fadt_builder().put<uint8_t>(172, 0).put<uint64_t>(176, 0xFED00000).finish())),
              Error::AcpiPm1NotSystemIo);  // PM1a in system memory
    EXPECT_EQ(
        error_of(plan_with_fadt(fadt_builder().put<uint8_t>(172, kSystemIo).put<uint64_t>(176, 0x10000).finish())),
        Error::AcpiPm1NotSystemIo);  // past the last I/O port
    EXPECT_EQ(error_of(plan_with_fadt(fadt_builder()
                                          .put<uint32_t>(64, 0x604)
                                          .put<uint8_t>(89, 2)
                                          .put<uint8_t>(184, 0)
                                          .put<uint64_t>(188, 0xFED00000)
                                          .finish())),
              Error::AcpiPm1NotSystemIo);  // PM1b in system memory
    // Usable blocks but no DSDT at all: the plan says so, never guesses a sleep type.
    EXPECT_EQ(error_of(plan_with_fadt(fadt_builder().put<uint32_t>(64, 0x604).put<uint8_t>(89, 2).finish())),
              Error::AcpiNoDsdt);
}

// ---- Tables compiled by iasl from tests/data/acpi/asl ----

Bytes compiled(const char* name) {
    const std::filesystem::path path = std::filesystem::path(MINK_AML_DIR) / (std::string(name) + ".aml");
    Bytes bytes = read_file(path);
    EXPECT_FALSE(bytes.empty()) << path;
    return bytes;
}

ErrorOr<SleepType> find_in_compiled(const char* name, const char* signature = "DSDT") {
    const Bytes bytes = compiled(name);
    const ErrorOr<Table> table = check_table(bytes.data(), bytes.size(), signature);
    if (table.is_error()) return table.error();
    return find_s5_in_table(table.value());
}

TEST(AmlCompiled, EachEncoding) {
    expect_sleep_type(find_in_compiled("s5-root"), 5, 5);
    expect_sleep_type(find_in_compiled("s5-root-prefix"), 5, 5);
    expect_sleep_type(find_in_compiled("s5-in-scope"), 7, 3);
    expect_sleep_type(find_in_compiled("s5-zero-one-ops"), 0, 1);
    expect_sleep_type(find_in_compiled("s5-long-package", "SSDT"), 6, 2);
}

TEST(AmlCompiled, MissingAndTruncated) {
    EXPECT_EQ(error_of(find_in_compiled("s5-missing")), Error::AcpiS5Missing);
    EXPECT_EQ(error_of(find_in_compiled("s5-truncated")), Error::AcpiS5Truncated);
}

// The whole search: an RSDT listing a FADT and an SSDT; the DSDT the FADT names has no \_S5, the SSDT has.
TEST(AmlCompiled, FoundInAnSsdtWhenTheDsdtHasNone) {
    constexpr uint32_t kRsdt = 0x1000, kFadt = 0x2000, kDsdt = 0x3000, kSsdt = 0x4000;
    FakeMemory memory;
    memory.add(kRsdt, TableBuilder("RSDT").u32(kFadt).u32(kSsdt).finish());
    memory.add(kFadt, fadt_builder().put<uint32_t>(40, kDsdt).put<uint32_t>(64, 0x604).put<uint8_t>(89, 2).finish());
    memory.add(kDsdt, compiled("s5-missing"));
    memory.add(kSsdt, compiled("s5-long-package"));
    const Bytes rsdp = make_rsdp(0, kRsdt);
    const ErrorOr<Summary> summary = parse(rsdp.data(), rsdp.size(), memory);
    ASSERT_EQ(error_of(summary), std::nullopt);
    expect_sleep_type(find_s5(summary.value(), memory), 6, 2);
}

TEST(AmlCompiled, AMalformedS5IsReportedOverAMissingOne) {
    constexpr uint32_t kRsdt = 0x1000, kFadt = 0x2000, kDsdt = 0x3000;
    FakeMemory memory;
    memory.add(kRsdt, TableBuilder("RSDT").u32(kFadt).finish());
    memory.add(kFadt, fadt_builder().put<uint32_t>(40, kDsdt).finish());
    memory.add(kDsdt, compiled("s5-truncated"));
    const Bytes rsdp = make_rsdp(0, kRsdt);
    const ErrorOr<Summary> summary = parse(rsdp.data(), rsdp.size(), memory);
    ASSERT_EQ(error_of(summary), std::nullopt);
    EXPECT_EQ(error_of(find_s5(summary.value(), memory)), Error::AcpiS5Truncated);
    FakeMemory no_dsdt;
    no_dsdt.add(kRsdt, TableBuilder("RSDT").u32(kFadt).finish());
    no_dsdt.add(kFadt, fadt_builder().put<uint32_t>(40, kDsdt).finish());
    const ErrorOr<Summary> without = parse(rsdp.data(), rsdp.size(), no_dsdt);
    ASSERT_EQ(error_of(without), std::nullopt);
    EXPECT_EQ(error_of(find_s5(without.value(), no_dsdt)), Error::AcpiTableHeaderUnreadable);
}

}  // namespace
