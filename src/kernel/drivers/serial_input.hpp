// Typing on COM1 as the kernel runs it: the UART's receive interrupt routed
// from ISA IRQ 4 through the I/O APIC, and every byte that arrives queued by
// the interrupt for the console to read.
#pragma once

#include <stdint.h>

#include "lib/error.hpp"
#include "lib/optional.hpp"

namespace kernel::drivers {

// Turns COM1's receive interrupt on, or says why not: SerialNoUart when no
// UART answered at COM1 (a legacy-free PC has none: its ports read 0xFF),
// VectorTaken or IoApicNoPin when IRQ 4 cannot be delivered. Needs the
// interrupt routing first.
[[nodiscard]] ErrorOr<void> init_serial_input();

// The oldest byte COM1 received, or nothing: the consumer side.
[[nodiscard]] lib::Optional<uint8_t> next_serial_byte();

}  // namespace kernel::drivers
