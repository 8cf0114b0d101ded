// The FADT ("FACP" table) decoded: legacy-device flags, the ACPI PM timer, the SCI and the reset register.
#pragma once

#include <stdint.h>

#include "acpi/sdt.hpp"
#include "lib/error.hpp"

namespace kernel::acpi {

struct GenericAddress {
    uint8_t address_space = 0;  // An AddressSpace value (tables.hpp), kept raw: firmware may use others.
    uint8_t bit_width = 0;
    uint8_t bit_offset = 0;
    uint8_t access_size = 0;
    uint64_t address = 0;
};

// IAPC_BOOT_ARCH, decoded. Meaningful only when Fadt::boot_arch_valid.
struct BootArch {
    bool legacy_devices = false;  // ISA devices beyond the 8042 (LPC super I/O: serial, parallel ...).
    bool has_8042 = false;
    bool vga_not_present = false;
    bool msi_not_supported = false;
    bool pcie_aspm_controls = false;
    bool cmos_rtc_not_present = false;
};

struct PmTimer {
    bool present = false;
    uint16_t port = 0;
    bool counts_32_bits = false;  // TMR_VAL_EXT; otherwise the counter is 24 bits wide.
};

struct ResetRegister {
    bool supported = false;
    GenericAddress address;
    uint8_t value = 0;
};

struct Fadt {
    uint8_t revision = 0;
    uint32_t flags = 0;
    uint16_t sci_interrupt = 0;  // As an ISA IRQ (to route like one) on PC-compatible machines.
    bool hardware_reduced = false;
    // False for FADTs older than ACPI 2.0, where IAPC_BOOT_ARCH was reserved: probe the hardware instead.
    bool boot_arch_valid = false;
    uint16_t boot_arch_raw = 0;
    BootArch boot_arch;
    PmTimer pm_timer;
    ResetRegister reset;
};

// Reads only the fields `table.length` covers; the ones it does not cover keep their "absent" defaults.
[[nodiscard]] ErrorOr<Fadt> parse_fadt(const Table& table);

}  // namespace kernel::acpi
