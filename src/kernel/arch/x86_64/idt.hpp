// The Interrupt Descriptor Table: where the CPU goes on each exception vector.
#pragma once

#include <stdint.h>

namespace kernel::arch {

// Fills all 256 IDT gates with the stubs of interrupt_stubs.asm and loads
// it. #DF, NMI and #MC switch to their own IST stacks: they must be
// reportable even when the kernel stack is gone. Needs init_gdt() first.
void init_idt();

}  // namespace kernel::arch
