// ACPI wire layouts (ACPI 6.5 chapter 5) and their constants; the parsers copy these out of the bytes, never cast.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace kernel::acpi {

// Firmware tables sit at any byte address, so every layout is packed and read through load() into a local copy.
template <typename T>
[[nodiscard]] inline T load(const uint8_t* bytes, size_t offset) {
    T value;
    __builtin_memcpy(&value, bytes + offset, sizeof(T));
    return value;
}

// ---- Root System Description Pointer ----

inline constexpr char kRsdpSignature[8] = {'R', 'S', 'D', ' ', 'P', 'T', 'R', ' '};
// Revisions below this have only the 20-byte ACPI 1.0 layout (no length, no XSDT).
inline constexpr uint8_t kRsdpExtendedRevision = 2;

struct [[gnu::packed]] RsdpV1 {
    char signature[8];
    uint8_t checksum;  // Makes the first 20 bytes sum to 0.
    char oem_id[6];
    uint8_t revision;
    uint32_t rsdt_address;
};
static_assert(sizeof(RsdpV1) == 20);
static_assert(offsetof(RsdpV1, revision) == 15 && offsetof(RsdpV1, rsdt_address) == 16);

struct [[gnu::packed]] RsdpV2 {
    RsdpV1 v1;
    uint32_t length;  // Of the whole RSDP, including the v1 part.
    uint64_t xsdt_address;
    uint8_t extended_checksum;  // Makes all `length` bytes sum to 0.
    uint8_t reserved[3];
};
static_assert(sizeof(RsdpV2) == 36);
static_assert(offsetof(RsdpV2, length) == 20 && offsetof(RsdpV2, xsdt_address) == 24);
static_assert(offsetof(RsdpV2, extended_checksum) == 32);

// ---- System Description Table header, common to every table ----

struct [[gnu::packed]] SdtHeader {
    char signature[4];
    uint32_t length;  // Of the whole table, header included.
    uint8_t revision;
    uint8_t checksum;  // Makes all `length` bytes sum to 0.
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    uint32_t creator_id;
    uint32_t creator_revision;
};
static_assert(sizeof(SdtHeader) == 36);
static_assert(offsetof(SdtHeader, length) == 4 && offsetof(SdtHeader, checksum) == 9);

inline constexpr char kRsdtSignature[4] = {'R', 'S', 'D', 'T'};
inline constexpr char kXsdtSignature[4] = {'X', 'S', 'D', 'T'};
inline constexpr char kMadtSignature[4] = {'A', 'P', 'I', 'C'};
inline constexpr char kFadtSignature[4] = {'F', 'A', 'C', 'P'};
inline constexpr char kHpetSignature[4] = {'H', 'P', 'E', 'T'};
inline constexpr char kMcfgSignature[4] = {'M', 'C', 'F', 'G'};

// ---- Generic Address Structure ----

enum class AddressSpace : uint8_t {
    SystemMemory = 0,
    SystemIo = 1,
    PciConfiguration = 2,
};

struct [[gnu::packed]] GenericAddressLayout {
    uint8_t address_space;
    uint8_t bit_width;
    uint8_t bit_offset;
    uint8_t access_size;
    uint64_t address;
};
static_assert(sizeof(GenericAddressLayout) == 12);
static_assert(offsetof(GenericAddressLayout, address) == 4);

// ---- MADT ("APIC"): a fixed part, then variable-length entries ----

struct [[gnu::packed]] MadtFixed {
    SdtHeader header;
    uint32_t local_apic_address;
    uint32_t flags;
};
static_assert(sizeof(MadtFixed) == 44);
static_assert(offsetof(MadtFixed, local_apic_address) == 36 && offsetof(MadtFixed, flags) == 40);

inline constexpr uint32_t kMadtPcAtCompatible = 1u << 0;  // Dual 8259 PICs present.

enum class MadtEntryType : uint8_t {
    LocalApic = 0,
    IoApic = 1,
    InterruptSourceOverride = 2,
    NmiSource = 3,
    LocalApicNmi = 4,
    LocalApicAddressOverride = 5,
    LocalX2Apic = 9,
    LocalX2ApicNmi = 10,
};

struct [[gnu::packed]] MadtEntryHeader {
    uint8_t type;
    uint8_t length;  // Of the whole entry; may be more than the layouts below in later ACPI versions.
};
static_assert(sizeof(MadtEntryHeader) == 2);

inline constexpr uint32_t kProcessorEnabled = 1u << 0;
inline constexpr uint32_t kProcessorOnlineCapable = 1u << 1;

struct [[gnu::packed]] MadtLocalApic {
    MadtEntryHeader header;
    uint8_t acpi_processor_uid;
    uint8_t apic_id;
    uint32_t flags;
};
static_assert(sizeof(MadtLocalApic) == 8 && offsetof(MadtLocalApic, flags) == 4);

struct [[gnu::packed]] MadtIoApic {
    MadtEntryHeader header;
    uint8_t io_apic_id;
    uint8_t reserved;
    uint32_t address;
    uint32_t gsi_base;
};
static_assert(sizeof(MadtIoApic) == 12 && offsetof(MadtIoApic, address) == 4 && offsetof(MadtIoApic, gsi_base) == 8);

// MPS INTI flags, shared by overrides and NMI entries: polarity in bits 0-1, trigger mode in bits 2-3.
inline constexpr uint16_t kIntiPolarityMask = 0x3;
inline constexpr unsigned kIntiTriggerShift = 2;
inline constexpr uint16_t kIntiTriggerMask = 0x3;

struct [[gnu::packed]] MadtInterruptOverride {
    MadtEntryHeader header;
    uint8_t bus;  // 0 = ISA.
    uint8_t source_irq;
    uint32_t gsi;
    uint16_t inti_flags;
};
static_assert(sizeof(MadtInterruptOverride) == 10 && offsetof(MadtInterruptOverride, gsi) == 4);
static_assert(offsetof(MadtInterruptOverride, inti_flags) == 8);

struct [[gnu::packed]] MadtNmiSource {
    MadtEntryHeader header;
    uint16_t inti_flags;
    uint32_t gsi;
};
static_assert(sizeof(MadtNmiSource) == 8 && offsetof(MadtNmiSource, gsi) == 4);

struct [[gnu::packed]] MadtLocalApicNmi {
    MadtEntryHeader header;
    uint8_t acpi_processor_uid;  // 0xFF: every processor.
    uint16_t inti_flags;
    uint8_t lint;
};
static_assert(sizeof(MadtLocalApicNmi) == 6 && offsetof(MadtLocalApicNmi, inti_flags) == 3);
static_assert(offsetof(MadtLocalApicNmi, lint) == 5);
inline constexpr uint8_t kAllProcessorsUid8 = 0xFF;

struct [[gnu::packed]] MadtLocalApicAddressOverride {
    MadtEntryHeader header;
    uint16_t reserved;
    uint64_t address;
};
static_assert(sizeof(MadtLocalApicAddressOverride) == 12 && offsetof(MadtLocalApicAddressOverride, address) == 4);

struct [[gnu::packed]] MadtLocalX2Apic {
    MadtEntryHeader header;
    uint16_t reserved;
    uint32_t x2apic_id;
    uint32_t flags;
    uint32_t acpi_processor_uid;
};
static_assert(sizeof(MadtLocalX2Apic) == 16 && offsetof(MadtLocalX2Apic, x2apic_id) == 4);
static_assert(offsetof(MadtLocalX2Apic, flags) == 8 && offsetof(MadtLocalX2Apic, acpi_processor_uid) == 12);

struct [[gnu::packed]] MadtLocalX2ApicNmi {
    MadtEntryHeader header;
    uint16_t inti_flags;
    uint32_t acpi_processor_uid;  // 0xFFFFFFFF: every processor.
    uint8_t lint;
    uint8_t reserved[3];
};
static_assert(sizeof(MadtLocalX2ApicNmi) == 12 && offsetof(MadtLocalX2ApicNmi, acpi_processor_uid) == 4);
static_assert(offsetof(MadtLocalX2ApicNmi, lint) == 8);
inline constexpr uint32_t kAllProcessorsUid32 = 0xFFFFFFFF;

// ---- FADT ("FACP"): grew with every ACPI version; a field exists only when `length` covers it ----

struct [[gnu::packed]] FadtLayout {
    SdtHeader header;
    uint32_t firmware_ctrl;
    uint32_t dsdt;
    uint8_t reserved0;  // INT_MODEL in ACPI 1.0.
    uint8_t preferred_pm_profile;
    uint16_t sci_interrupt;
    uint32_t smi_command;
    uint8_t acpi_enable;
    uint8_t acpi_disable;
    uint8_t s4bios_request;
    uint8_t pstate_control;
    uint32_t pm1a_event_block;
    uint32_t pm1b_event_block;
    uint32_t pm1a_control_block;
    uint32_t pm1b_control_block;
    uint32_t pm2_control_block;
    uint32_t pm_timer_block;
    uint32_t gpe0_block;
    uint32_t gpe1_block;
    uint8_t pm1_event_length;
    uint8_t pm1_control_length;
    uint8_t pm2_control_length;
    uint8_t pm_timer_length;
    uint8_t gpe0_block_length;
    uint8_t gpe1_block_length;
    uint8_t gpe1_base;
    uint8_t cstate_control;
    uint16_t c2_latency;
    uint16_t c3_latency;
    uint16_t flush_size;
    uint16_t flush_stride;
    uint8_t duty_offset;
    uint8_t duty_width;
    uint8_t day_alarm;
    uint8_t month_alarm;
    uint8_t century;
    uint16_t iapc_boot_arch;
    uint8_t reserved1;
    uint32_t flags;
    GenericAddressLayout reset_register;
    uint8_t reset_value;
    uint16_t arm_boot_arch;
    uint8_t minor_version;
    uint64_t x_firmware_ctrl;
    uint64_t x_dsdt;
    GenericAddressLayout x_pm1a_event_block;
    GenericAddressLayout x_pm1b_event_block;
    GenericAddressLayout x_pm1a_control_block;
    GenericAddressLayout x_pm1b_control_block;
    GenericAddressLayout x_pm2_control_block;
    GenericAddressLayout x_pm_timer_block;
    GenericAddressLayout x_gpe0_block;
    GenericAddressLayout x_gpe1_block;
    GenericAddressLayout sleep_control;
    GenericAddressLayout sleep_status;
    uint64_t hypervisor_vendor_id;
};
static_assert(sizeof(FadtLayout) == 276);
static_assert(offsetof(FadtLayout, sci_interrupt) == 46 && offsetof(FadtLayout, pm_timer_block) == 76);
static_assert(offsetof(FadtLayout, pm_timer_length) == 91 && offsetof(FadtLayout, iapc_boot_arch) == 109);
static_assert(offsetof(FadtLayout, flags) == 112 && offsetof(FadtLayout, reset_register) == 116);
static_assert(offsetof(FadtLayout, reset_value) == 128 && offsetof(FadtLayout, x_dsdt) == 140);
static_assert(offsetof(FadtLayout, x_pm_timer_block) == 208 && offsetof(FadtLayout, sleep_control) == 244);

// ACPI 1.0's FADT ends after `flags`.
inline constexpr size_t kFadtMinimumLength = offsetof(FadtLayout, flags) + sizeof(uint32_t);
static_assert(kFadtMinimumLength == 116);
// IAPC_BOOT_ARCH was reserved before the ACPI 2.0 FADT (revision 3); QEMU's `pc` FADT is revision 1 with 0 there.
inline constexpr uint8_t kFadtBootArchRevision = 3;
// PM_TMR_LEN of a PM timer that exists.
inline constexpr uint8_t kPmTimerLength = 4;

inline constexpr uint16_t kBootArchLegacyDevices = 1u << 0;
inline constexpr uint16_t kBootArch8042 = 1u << 1;
inline constexpr uint16_t kBootArchVgaNotPresent = 1u << 2;
inline constexpr uint16_t kBootArchMsiNotSupported = 1u << 3;
inline constexpr uint16_t kBootArchPcieAspmControls = 1u << 4;
inline constexpr uint16_t kBootArchCmosRtcNotPresent = 1u << 5;

inline constexpr uint32_t kFadtTimerValueExtended = 1u << 8;  // TMR_VAL_EXT: the PM timer counts 32 bits, not 24.
inline constexpr uint32_t kFadtResetRegisterSupported = 1u << 10;
inline constexpr uint32_t kFadtHardwareReduced = 1u << 20;

// ---- HPET table ----

struct [[gnu::packed]] HpetLayout {
    SdtHeader header;
    uint32_t event_timer_block_id;
    GenericAddressLayout base_address;
    uint8_t hpet_number;
    uint16_t minimum_clock_tick;
    uint8_t page_protection;
};
static_assert(sizeof(HpetLayout) == 56);
static_assert(offsetof(HpetLayout, base_address) == 40 && offsetof(HpetLayout, hpet_number) == 52);
static_assert(offsetof(HpetLayout, minimum_clock_tick) == 53 && offsetof(HpetLayout, page_protection) == 55);

// Event Timer Block ID fields (the HPET's capabilities register, low half).
inline constexpr unsigned kHpetComparatorsShift = 8;
inline constexpr uint32_t kHpetComparatorsMask = 0x1F;  // Number of comparators minus one.
inline constexpr uint32_t kHpetCounter64Bit = 1u << 13;
inline constexpr uint32_t kHpetLegacyReplacement = 1u << 15;
inline constexpr unsigned kHpetVendorShift = 16;

// ---- MCFG (PCI Firmware Specification 3.x, 4.1.2): a fixed part, then 16-byte entries to its end ----

struct [[gnu::packed]] McfgFixed {
    SdtHeader header;
    uint64_t reserved;
};
static_assert(sizeof(McfgFixed) == 44);

struct [[gnu::packed]] McfgEntry {
    uint64_t base_address;  // Of the segment's bus 0, even when start_bus is not 0.
    uint16_t segment;
    uint8_t start_bus;
    uint8_t end_bus;
    uint32_t reserved;
};
static_assert(sizeof(McfgEntry) == 16);
static_assert(offsetof(McfgEntry, segment) == 8 && offsetof(McfgEntry, start_bus) == 10);
static_assert(offsetof(McfgEntry, end_bus) == 11);

}  // namespace kernel::acpi
