// The PC's interrupt wiring as the MADT describes it: the 8259s masked, the
// local APIC on, every I/O APIC masked, and ISA IRQs routed with the MADT's
// overrides, polarities and trigger modes.
#pragma once

#include <stdint.h>

#include "acpi/madt.hpp"
#include "arch/x86_64/local_apic.hpp"
#include "lib/error.hpp"

namespace kernel::drivers {

struct InterruptRoutingReport {
    bool pic_masked = false;
    arch::LocalApicMode local_apic = arch::LocalApicMode::None;
    uint32_t local_apic_id = 0;
    uint32_t io_apics = 0;
    uint32_t io_apic_pins = 0;
};

// madt may be null (no ACPI): the PICs are masked all the same and the
// local APIC runs, but no I/O APIC is known, so no ISA IRQ can be routed.
InterruptRoutingReport init_interrupt_routing(const acpi::Madt* madt);

// Delivers ISA IRQ irq to vector on this CPU; IoApicNoPin when no I/O
// APIC has the pin it arrives on.
[[nodiscard]] ErrorOr<void> route_isa_irq(uint8_t irq, uint8_t vector);

}  // namespace kernel::drivers
