// Typing, from whichever input has it: the keyboard's and COM1's interrupt
// handlers queue each byte and signal one semaphore, so a thread waiting for
// a key sleeps until one comes, with no polling.
#pragma once

#include <stdint.h>

namespace kernel::drivers {

struct TypedByte {
    enum class From : uint8_t { Keyboard, Serial };
    From from;
    uint8_t byte;  // a PS/2 scan code byte, or a byte COM1 received
};

// Blocks the calling thread until the keyboard or COM1 has a byte and takes
// the oldest one (the keyboard's first when both have). Never from an
// interrupt handler. With neither input up, it waits for good.
[[nodiscard]] TypedByte wait_for_typed_byte();

// Called by the keyboard and COM1 interrupt handlers for each byte they queued.
void byte_typed();

}  // namespace kernel::drivers
