// Restarting the machine the ways a PC offers, each tried in turn until one works: the FADT's reset register,
// the 8042 keyboard controller's reset line, a triple fault.
#pragma once

#include "acpi/acpi.hpp"

namespace kernel::drivers {

// Remembers what the FADT says about resetting (its reset register, whether the PC has an 8042). acpi may be
// null: the 8042 and the triple fault remain.
void init_reset(const acpi::Summary* acpi);

// Says one line before each way it tries, and one for each that does nothing within half a second. The triple
// fault, last, always resets a PC; should even it fail, the CPU halts.
[[noreturn]] void reboot();

}  // namespace kernel::drivers
