// The two cascaded 8259 PICs of PC-AT compatibles: remapped off the CPU
// exception vectors and masked, so that only the APICs deliver interrupts;
// or, on PCs without an I/O APIC, delivering the ISA IRQs themselves, one
// line unmasked per driver.
#pragma once

#include <stdint.h>

namespace kernel::drivers {

// Remaps IRQ 0-15 onto base..base+15 (base a multiple of 8) and masks every
// line. Where the PICs are absent their ports ignore writes: harmless.
void remap_and_mask_pic_8259(uint8_t base);

// Lets IRQ irq (0-15) through; a line of the slave also opens the master's
// cascade line, IRQ 2.
void unmask_pic_8259_irq(uint8_t irq);

// Whether IRQ irq, just signalled, is in service: false for a spurious IRQ 7
// or 15 (a request withdrawn before the CPU took it, which the 8259 reports
// on its lowest-priority line without putting it in service). The master
// did put its cascade line in service for a spurious IRQ 15: that gets its
// end-of-interrupt here.
[[nodiscard]] bool pic_8259_irq_in_service(uint8_t irq);

// The end-of-interrupt for IRQ irq: to the slave for its lines, then to
// the master.
void end_pic_8259_irq(uint8_t irq);

}  // namespace kernel::drivers
