// The two cascaded 8259 PICs of PC-AT compatibles: remapped off the CPU
// exception vectors and masked, so that only the APICs deliver interrupts.
#pragma once

#include <stdint.h>

namespace kernel::drivers {

// Remaps IRQ 0-15 onto base..base+15 (base a multiple of 8) and masks every
// line. Where the PICs are absent their ports ignore writes: harmless.
void remap_and_mask_pic_8259(uint8_t base);

}  // namespace kernel::drivers
