// The PS/2 keyboard as the kernel runs it: the 8042 brought up with bounded
// waits, IRQ 1 routed through the I/O APIC, and every byte the keyboard sends
// queued by the interrupt for the console to decode.
#pragma once

#include <stdint.h>

#include "acpi/acpi.hpp"
#include "lib/error.hpp"
#include "lib/optional.hpp"

namespace kernel::drivers {

// Brings up the keyboard, or says why there is none (one of the Ps2*
// errors). acpi may be null. Needs the interrupt routing and the timer first.
[[nodiscard]] ErrorOr<void> init_ps2_keyboard(const acpi::Summary* acpi);

// The oldest byte the keyboard sent, or nothing: the consumer side.
[[nodiscard]] lib::Optional<uint8_t> next_keyboard_byte();

}  // namespace kernel::drivers
