// Each CPU's own block, found through the GS base register: one `mov
// %gs:0` away wherever the CPU is, with no table lookup by APIC id. arch owns
// the first fields (what the interrupt entry and the fault reports need);
// the scheduler's per-CPU block (sched/cpu.hpp) extends it.
#pragma once

#include <stdint.h>

namespace kernel::arch {

struct CpuLocal {
    CpuLocal* self = nullptr;  // at GS:0, so the block can find itself
    uint32_t index = 0;        // 0 for the CPU that booted, then 1, 2, ...
    // Interrupt handlers running on this CPU now (they do not nest today, so
    // 0 or 1): code that might block asserts it is 0.
    uint32_t interrupt_depth = 0;
    // The thread running here, by name, for fault reports (set by the scheduler).
    const char* thread_name = nullptr;
};

// Points this CPU's GS base at block (and block->self at block).
void install_cpu_local(CpuLocal* block);

// This CPU's block, or null before install_cpu_local().
[[nodiscard]] CpuLocal* cpu_local_or_null();

// This CPU's block, once installed: a single load through GS.
[[nodiscard]] inline CpuLocal* cpu_local() {
    CpuLocal* block;
    asm volatile("movq %%gs:0, %0" : "=r"(block));
    return block;
}

[[nodiscard]] inline bool in_interrupt_handler() {
    return cpu_local()->interrupt_depth != 0;
}

}  // namespace kernel::arch
