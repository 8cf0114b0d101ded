// Switching the machine off through ACPI S5: the sleep types \_S5 gives, found once at boot, written with SLP_EN
// to the PM1 control registers the FADT names.
#pragma once

#include "acpi/acpi.hpp"
#include "acpi/sdt.hpp"

namespace kernel::drivers {

// Finds \_S5 and the PM1 control blocks, and says in one line what power_off() will write, or why it cannot.
// acpi may be null (no usable tables).
void init_acpi_power(const acpi::Summary* acpi, const acpi::PhysicalMemory& memory);

// Enters S5. Where that was not found at boot, says why and halts; where the machine is still on a second after
// S5 was written, says so and halts. Never returns.
[[noreturn]] void power_off();

}  // namespace kernel::drivers
