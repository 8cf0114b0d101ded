// The FADT ("FACP" table) decoded: legacy-device flags, the ACPI PM timer, the SCI, the reset register, and what
// entering S5 (power off) needs: the DSDT's address and the PM1 control blocks.
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

// The PM1a/PM1b control registers (ACPI 6.5 section 4.8.3.2), where SLP_TYP and SLP_EN are written. An address
// of 0 means absent: PM1b is optional, and hardware-reduced machines have neither.
struct Pm1Control {
    GenericAddress a;
    GenericAddress b;
};

// SMI_CMD and ACPI_ENABLE: writing the one to the other hands the PM registers from the firmware's SMM code to
// the OS (SCI_EN set). Both 0 on machines that are always in ACPI mode.
struct AcpiEnable {
    uint32_t smi_command_port = 0;
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
    uint64_t dsdt_address = 0;  // X_DSDT when the table has it and it is set, else DSDT; 0 when neither is.
    Pm1Control pm1_control;
    AcpiEnable acpi_enable;
};

// Reads only the fields `table.length` covers; the ones it does not cover keep their "absent" defaults.
[[nodiscard]] ErrorOr<Fadt> parse_fadt(const Table& table);

}  // namespace kernel::acpi
