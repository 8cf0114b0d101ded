// The PC's interrupt wiring: decided once, at boot, which controller
// delivers the ISA IRQs. Where the MADT describes an I/O APIC and the local
// APIC runs: the 8259s masked, the local APIC on, every I/O APIC masked, and
// ISA IRQs routed with the MADT's overrides, polarities and trigger modes.
// Else (no MADT, or no local APIC) the PC-AT's own wiring: the 8259s.
#pragma once

#include <stdint.h>

#include "acpi/madt.hpp"
#include "arch/x86_64/local_apic.hpp"
#include "lib/error.hpp"

namespace kernel::drivers {

// Which controller delivers ISA IRQs.
enum class IsaIrqController : uint8_t { None, IoApic, Pic8259 };

struct InterruptRoutingReport {
    bool pic_masked = false;  // remapped and masked at first; see isa_irqs
    IsaIrqController isa_irqs = IsaIrqController::None;
    arch::LocalApicMode local_apic = arch::LocalApicMode::None;
    uint32_t local_apic_id = 0;
    uint32_t io_apics = 0;
    uint32_t io_apic_pins = 0;
};

// madt may be null (no ACPI): the local APIC runs all the same, if there is
// one, but no I/O APIC is known, so the 8259s deliver ISA IRQs.
InterruptRoutingReport init_interrupt_routing(const acpi::Madt* madt);

// Which controller init_interrupt_routing() chose.
[[nodiscard]] IsaIrqController isa_irq_controller();

// The vector ISA IRQ irq arrives on: the driver registers its handler there
// before it routes the IRQ. The I/O APIC's is kIsaIrqBase + irq, the 8259s'
// kPic8259Base + irq, fixed by their wiring.
[[nodiscard]] uint8_t isa_irq_vector(uint8_t irq);

// Delivers ISA IRQ irq (0-15) to vector (isa_irq_vector(irq)) on this CPU;
// IoApicNoPin when no I/O APIC has the pin it arrives on, IsaIrqNoController
// when neither an I/O APIC nor the 8259s deliver ISA IRQs.
[[nodiscard]] ErrorOr<void> route_isa_irq(uint8_t irq, uint8_t vector);

}  // namespace kernel::drivers
