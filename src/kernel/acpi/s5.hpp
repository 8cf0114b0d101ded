// \_S5, the "soft off" sleep state, read out of the DSDT and SSDTs: the two SLP_TYP values that, written with
// SLP_EN to the PM1 control registers, switch the machine off. Not an AML interpreter: a bounded reader for the
// one object, in the forms firmware writes it, that trusts no byte of the tables.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "acpi/acpi.hpp"
#include "acpi/sdt.hpp"
#include "lib/error.hpp"

namespace kernel::acpi {

// SLP_TYPa and SLP_TYPb of \_S5: the first two elements of its package, 3 bits each.
struct SleepType {
    uint8_t a = 0;
    uint8_t b = 0;
};

// Looks for Name (_S5, Package () {a, b, ...}) in `length` bytes of AML (a table's body, after its 36-byte
// header), at the root or inside a Scope: the first well-formed one wins. AcpiS5Missing when there is none;
// when every candidate is malformed, the error says what was wrong with the first.
[[nodiscard]] ErrorOr<SleepType> find_s5_in_aml(const uint8_t* aml, size_t length);

// The same in a whole DSDT or SSDT whose header, length and checksum were checked.
[[nodiscard]] ErrorOr<SleepType> find_s5_in_table(const Table& table);

// Looks in the DSDT the FADT names, then in every SSDT the RSDT/XSDT lists. When none holds a well-formed \_S5,
// the error is the first that is not AcpiS5Missing (a malformed \_S5, an unreadable DSDT), else AcpiS5Missing.
[[nodiscard]] ErrorOr<SleepType> find_s5(const Summary& summary, const PhysicalMemory& memory);

// Everything entering S5 needs, checked: the sleep types, the PM1 control ports (PM1b 0 when absent), and how to
// ask the firmware for ACPI mode. A PM1 block outside system I/O space is refused (AcpiPm1NotSystemIo), a FADT
// without PM1a too (AcpiNoPm1Control), before \_S5 is looked for.
struct S5Plan {
    SleepType sleep_type;
    uint16_t pm1a_port = 0;
    uint16_t pm1b_port = 0;
    AcpiEnable acpi_enable;
};

[[nodiscard]] ErrorOr<S5Plan> plan_s5(const Summary& summary, const PhysicalMemory& memory);

}  // namespace kernel::acpi
