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
    return out;
}

}  // namespace kernel::acpi
