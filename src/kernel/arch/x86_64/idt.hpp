// The Interrupt Descriptor Table: where the CPU goes on each exception vector.
#pragma once

#include <stdint.h>

namespace kernel::arch {

// Fills all 256 IDT gates with the stubs of interrupt_stubs.asm and loads
// it. #DF, NMI and #MC switch to their own IST stacks: they must be
// reportable even when the kernel stack is gone. Needs init_gdt() first.
void init_idt();

// Loads an IDT with no gates and raises an exception: the CPU can deliver
// neither it nor the double fault that follows, so it shuts down (a triple
// fault), which a PC's chipset turns into a reset. The last way to reboot.
[[noreturn]] void triple_fault();

}  // namespace kernel::arch
