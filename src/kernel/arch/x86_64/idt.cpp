// Builds the 64-bit IDT from the interrupt stubs' addresses and loads it.
#include "arch/x86_64/idt.hpp"

#include <stddef.h>

#include "arch/x86_64/exceptions.hpp"
#include "arch/x86_64/gdt.hpp"
#include "arch/x86_64/io.hpp"
#include "x86_constants.hpp"

extern "C" const uint64_t interrupt_stub_table[IDT_VECTOR_COUNT];

namespace kernel::arch {

namespace {

constexpr size_t kIdtEntries = IDT_VECTOR_COUNT;
// Type/attributes byte: P | DPL(2) | 0 | type(4). Type 0xE is a 64-bit
// interrupt gate: IF is cleared on entry, so nothing nests into a handler.
constexpr uint8_t kInterruptGateKernel = 0b1000'1110;

struct [[gnu::packed]] IdtGate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;  // bits 0-2: IST slot, 0 = stay on the current stack
    uint8_t type_attributes;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
};
static_assert(sizeof(IdtGate) == 16, "long-mode IDT gates are 16 bytes");

struct [[gnu::packed]] IdtPointer {
    uint16_t limit;
    uint64_t base;
};
static_assert(sizeof(IdtPointer) == 10);

// Every vector is present: one with no handler registered is counted and
// reported by interrupt_dispatch (interrupts.cpp), never a #GP.
constinit IdtGate g_idt[kIdtEntries]{};

IdtGate interrupt_gate(uint64_t handler, IstSlot ist) {
    return {static_cast<uint16_t>(handler),
            kKernelCodeSelector,
            static_cast<uint8_t>(ist),
            kInterruptGateKernel,
            static_cast<uint16_t>(handler >> 16),
            static_cast<uint32_t>(handler >> 32),
            0};
}

IstSlot ist_for(unsigned vector) {
    switch (static_cast<Vector>(vector)) {
    case Vector::DoubleFault: return IstSlot::DoubleFault;
    case Vector::Nmi: return IstSlot::Nmi;
    case Vector::MachineCheck: return IstSlot::MachineCheck;
    default: return IstSlot::None;
    }
}

}  // namespace

void init_idt() {
    for (unsigned vector = 0; vector < kIdtEntries; ++vector)
        g_idt[vector] = interrupt_gate(interrupt_stub_table[vector], ist_for(vector));
    const IdtPointer pointer{sizeof(g_idt) - 1, reinterpret_cast<uintptr_t>(g_idt)};
    asm volatile("lidt %0" : : "m"(pointer) : "memory");
}

void triple_fault() {
    const IdtPointer empty{0, 0};  // limit 0: every vector lies beyond it
    asm volatile("cli; lidt %0; int3" : : "m"(empty) : "memory");
    halt_forever();  // not reached: the int3 resets the machine
}

}  // namespace kernel::arch
