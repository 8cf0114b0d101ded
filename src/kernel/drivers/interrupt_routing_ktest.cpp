// In-kernel tests of the 8259s' delivery: what they report on IRQ 7 and 15
// without a line in service is spurious (boots with -cpu qemu64,-apic).
#include "arch/x86_64/interrupts.hpp"
#include "drivers/interrupt_routing.hpp"
#include "testing/ktest.hpp"

using namespace kernel;

// `int` raises the vector with nothing in service in the 8259s, just as a
// request withdrawn before the CPU took it does: counted as spurious, not
// handed to a handler. Were IRQ 15's end-of-interrupt to the master's
// cascade line missing, COM1's IRQ 4 would stay blocked behind it (the
// serial echo test of the same machine shows it is not).
KTEST(pic_8259_irq_7_and_15_without_a_line_in_service_are_spurious) {
    if (drivers::isa_irq_controller() != drivers::IsaIrqController::Pic8259) return;
    const arch::InterruptCounts before = arch::interrupt_counts();
    asm volatile("int %0" : : "i"(arch::kPic8259Base + 7));
    asm volatile("int %0" : : "i"(arch::kPic8259Base + 15));
    const arch::InterruptCounts after = arch::interrupt_counts();
    KEXPECT_EQ(after.spurious, before.spurious + 2);
    KEXPECT_EQ(after.unhandled, before.unhandled);
}
