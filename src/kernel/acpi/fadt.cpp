// Decodes the FADT fields the kernel needs, honouring how long this firmware's FADT really is.
#include "acpi/fadt.hpp"

#include "acpi/tables.hpp"

namespace kernel::acpi {
namespace {

constexpr uint64_t kMaxIoPort = 0xFFFF;

constexpr bool covers(uint32_t length, size_t offset, size_t size) {
    return length >= offset + size;
}

GenericAddress to_generic_address(const GenericAddressLayout& raw) {
    return {raw.address_space, raw.bit_width, raw.bit_offset, raw.access_size, raw.address};
}

BootArch decode_boot_arch(uint16_t raw) {
    return {(raw & kBootArchLegacyDevices) != 0,    (raw & kBootArch8042) != 0,
            (raw & kBootArchVgaNotPresent) != 0,    (raw & kBootArchMsiNotSupported) != 0,
            (raw & kBootArchPcieAspmControls) != 0, (raw & kBootArchCmosRtcNotPresent) != 0};
}

// X_PM_TMR_BLK, when the table has it and it is set, supersedes PM_TMR_BLK; a timer outside I/O space is
// one this kernel cannot read by port, so it counts as absent rather than falling back.
PmTimer decode_pm_timer(const FadtLayout& fadt, uint32_t length) {
    PmTimer timer;
    if ((fadt.flags & kFadtHardwareReduced) != 0) return timer;
    GenericAddressLayout extended = fadt.x_pm_timer_block;
    bool use_extended =
        covers(length, offsetof(FadtLayout, x_pm_timer_block), sizeof(GenericAddressLayout)) && extended.address != 0;
    uint64_t port = use_extended ? extended.address : fadt.pm_timer_block;
    bool in_io_space = use_extended ? extended.address_space == static_cast<uint8_t>(AddressSpace::SystemIo)
                                    : fadt.pm_timer_length >= kPmTimerLength;
    if (port != 0 && in_io_space && port <= kMaxIoPort - (kPmTimerLength - 1))
        timer = {true, static_cast<uint16_t>(port), (fadt.flags & kFadtTimerValueExtended) != 0};
    return timer;
}

// One PM1 control block: X_PM1x_CNT_BLK when the table has it and it is set, else the 32-bit PM1x_CNT_BLK port,
// PM1_CNT_LEN bytes wide.
GenericAddress decode_pm1_control(const GenericAddressLayout& extended, size_t extended_offset, uint32_t port,
                                  const FadtLayout& fadt, uint32_t length) {
    if (covers(length, extended_offset, sizeof(GenericAddressLayout)) && extended.address != 0)
        return to_generic_address(extended);
    if (port == 0) return {};
    constexpr uint8_t kBitsPerByte = 8;
    return {static_cast<uint8_t>(AddressSpace::SystemIo), static_cast<uint8_t>(fadt.pm1_control_length * kBitsPerByte),
            0, 0, port};
}

Pm1Control decode_pm1_controls(const FadtLayout& fadt, uint32_t length) {
    if ((fadt.flags & kFadtHardwareReduced) != 0) return {};
    return {decode_pm1_control(fadt.x_pm1a_control_block, offsetof(FadtLayout, x_pm1a_control_block),
                               fadt.pm1a_control_block, fadt, length),
            decode_pm1_control(fadt.x_pm1b_control_block, offsetof(FadtLayout, x_pm1b_control_block),
                               fadt.pm1b_control_block, fadt, length)};
}

}  // namespace

ErrorOr<Fadt> parse_fadt(const Table& table) {
    if (table.length < kFadtMinimumLength) return Error::AcpiFadtTooShort;
    Fadt out;
    // Zero-filled first: fields past this table's length read as 0, "absent", never as bytes beyond it.
    FadtLayout fadt{};
    __builtin_memcpy(&fadt, table.bytes, table.length < sizeof fadt ? table.length : sizeof fadt);
    out.revision = fadt.header.revision;
    out.flags = fadt.flags;
    out.sci_interrupt = fadt.sci_interrupt;
    out.hardware_reduced = (fadt.flags & kFadtHardwareReduced) != 0;
    static_assert(offsetof(FadtLayout, iapc_boot_arch) + sizeof(uint16_t) <= kFadtMinimumLength);
    out.boot_arch_valid = fadt.header.revision >= kFadtBootArchRevision;
    if (out.boot_arch_valid) {
        out.boot_arch_raw = fadt.iapc_boot_arch;
        out.boot_arch = decode_boot_arch(fadt.iapc_boot_arch);
    }
    out.pm_timer = decode_pm_timer(fadt, table.length);
    if ((fadt.flags & kFadtResetRegisterSupported) != 0 &&
        covers(table.length, offsetof(FadtLayout, reset_value), sizeof fadt.reset_value))
        out.reset = {true, to_generic_address(fadt.reset_register), fadt.reset_value};
    const bool has_x_dsdt = covers(table.length, offsetof(FadtLayout, x_dsdt), sizeof fadt.x_dsdt);
    out.dsdt_address = has_x_dsdt && fadt.x_dsdt != 0 ? fadt.x_dsdt : fadt.dsdt;
    out.pm1_control = decode_pm1_controls(fadt, table.length);
    out.acpi_enable = {fadt.smi_command, fadt.acpi_enable};
    return out;
}

}  // namespace kernel::acpi
