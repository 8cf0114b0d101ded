// The kernel's own GDT with a 64-bit TSS, so the CPU can switch to a known-good
// stack (an IST entry) for faults that strike when the current stack is bad.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "config.hpp"

namespace kernel::arch {

// Selectors; the code and data ones are the trampoline's too (config.hpp),
// so the switch from its GDT to this one changes nothing the CPU has cached.
inline constexpr uint16_t kKernelCodeSelector = KERNEL_CODE_SELECTOR;
inline constexpr uint16_t kKernelDataSelector = KERNEL_DATA_SELECTOR;
inline constexpr uint16_t kTssSelector = 0x18;

// Interrupt Stack Table slots (1-based, as IDT gates name them; 0 = no switch).
enum class IstSlot : uint8_t {
    None = 0,
    DoubleFault = 1,
    Nmi = 2,
    MachineCheck = 3,
};
inline constexpr size_t kIstStackCount = 3;

// The 64-bit Task State Segment (Intel SDM vol. 3, 8.7): only the stack
// pointers matter in long mode.
struct [[gnu::packed]] TaskStateSegment {
    uint32_t reserved0;
    uint64_t rsp[3];  // stacks for privilege changes to rings 0-2
    uint64_t reserved1;
    uint64_t ist[7];  // ist[0] is IST1
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t io_map_base;
};
static_assert(sizeof(TaskStateSegment) == 104, "the CPU reads a 104-byte 64-bit TSS");
static_assert(offsetof(TaskStateSegment, rsp) == 4 && offsetof(TaskStateSegment, ist) == 36);
static_assert(offsetof(TaskStateSegment, io_map_base) == 102);

// Loads the GDT, reloads every segment register and loads the task register.
// The IST stacks start in .bss; once memory is set up they move to stacks
// with guard pages below them (set_ist_stack).
void init_gdt();

// Points an IST slot at a new stack (its top); takes effect at the next
// interrupt through that slot.
void set_ist_stack(IstSlot slot, uint64_t top);

}  // namespace kernel::arch
