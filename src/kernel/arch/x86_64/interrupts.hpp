// Vectors 32-255: a table of handlers, one owner per vector, that devices
// register with; what arrives with no handler is counted and reported, never
// a crash. Vectors 0-31 stay the CPU exceptions' (exceptions.hpp).
#pragma once

#include <stdint.h>

#include "arch/x86_64/exceptions.hpp"
#include "lib/error.hpp"

namespace kernel::arch {

// The whole register state at the interrupt, as the stubs saved it.
using InterruptFrame = ExceptionFrame;
using InterruptHandler = void (*)(InterruptFrame& frame, void* context);

// Which vectors mean what. The 8259s are remapped onto 32-47: masked where
// the I/O APIC delivers ISA IRQ n (on kIsaIrqBase + n), so that only their
// spurious IRQ 7 and 15 can arrive there; delivering ISA IRQ n on
// kPic8259Base + n themselves on PCs without one (drivers/interrupt_routing).
// The APIC's own vectors sit at the top.
inline constexpr uint8_t kFirstDeviceVector = 32;
inline constexpr uint8_t kPic8259Base = 0x20;
inline constexpr uint8_t kIsaIrqBase = 0x30;
inline constexpr uint8_t kLocalApicTimerVector = 0x40;
inline constexpr uint8_t kLocalApicErrorVector = 0xFE;
inline constexpr uint8_t kSpuriousApicVector = 0xFF;

// Installs handler on vector; it runs with interrupts off, and the local
// APIC gets its end-of-interrupt after it returns. context is passed back.
// Fails with VectorReservedForExceptions (0-31) or VectorTaken.
[[nodiscard]] ErrorOr<void> register_interrupt_handler(uint8_t vector, InterruptHandler handler, void* context);
// Frees vector if handler owns it; returns whether it did.
bool unregister_interrupt_handler(uint8_t vector, InterruptHandler handler);

// Vectors that may fire without being asked for (the APIC's spurious vector,
// the 8259s' IRQ 7 and 15): counted, never handled nor acknowledged. Where
// the same vector can also carry a real interrupt (an 8259 that delivers),
// `is_spurious` tells the two apart when one arrives, and settles what the
// controller still needs after a spurious one. A handler registered on the
// vector keeps the mark: it runs for the real ones only.
void mark_spurious_vector(uint8_t vector, bool (*is_spurious)(uint8_t vector) = nullptr);
// What acknowledges a device interrupt, given its vector: set by the local
// APIC once it runs, and by the interrupt routing when the 8259s deliver.
void set_end_of_interrupt(void (*end_of_interrupt)(uint8_t vector));
// Runs on the way out of every device interrupt, once it is acknowledged and
// before IRETQ: where the scheduler takes the CPU from a thread whose time
// slice the timer ended (sched/scheduler.cpp). Interrupts are off there.
void set_interrupt_exit_hook(void (*hook)());

struct InterruptCounts {
    uint64_t handled = 0;
    uint64_t unhandled = 0;
    uint64_t spurious = 0;
    uint8_t last_unhandled_vector = 0;
};
[[nodiscard]] InterruptCounts interrupt_counts();

// Interrupts on or off around a piece of code that must not be interrupted;
// restores what was there before, so it nests.
[[nodiscard]] inline uint64_t save_and_disable_interrupts() {
    uint64_t flags;
    asm volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
    return flags;
}
inline void restore_interrupts(uint64_t flags) {
    asm volatile("pushq %0; popfq" : : "r"(flags) : "memory", "cc");
}
inline void enable_interrupts() {
    asm volatile("sti" : : : "memory");
}
inline void disable_interrupts() {
    asm volatile("cli" : : : "memory");
}
// Sleeps until the next interrupt with interrupts on: STI takes effect after
// the next instruction, so no interrupt can slip in between and be slept past.
inline void enable_interrupts_and_wait() {
    asm volatile("sti; hlt" : : : "memory");
}

}  // namespace kernel::arch

// Called by the stubs (interrupt_stubs.asm) for every vector, interrupts off.
extern "C" void interrupt_dispatch(kernel::arch::InterruptFrame* frame);
