// Interrupt controller bring-up in the order the hardware needs it.
#include "drivers/interrupt_routing.hpp"

#include "arch/x86_64/interrupts.hpp"
#include "drivers/ioapic.hpp"
#include "drivers/pic_8259.hpp"
#include "lib/panic.hpp"
#include "mm/device_windows.hpp"

namespace kernel::drivers {

namespace {

constexpr uint32_t kMaxIoApics = 8;

constinit IoApic g_io_apics[kMaxIoApics]{};
constinit uint32_t g_io_apic_count = 0;
constinit const acpi::Madt* g_madt = nullptr;
constinit IsaIrqController g_isa_irqs = IsaIrqController::None;
constexpr uint8_t kIsaIrqs = 16;
constexpr uint8_t kPic8259SpuriousIrqs[] = {7, 15};

void wire_local_nmis(const acpi::Madt& madt) {
    for (size_t i = 0; i < madt.local_apic_nmis.size(); ++i) {
        const acpi::LocalApicNmi& nmi = madt.local_apic_nmis[i];
        // One CPU runs: every entry that names all processors applies to it.
        if (!nmi.all_processors) continue;
        arch::set_local_apic_nmi(nmi.lint, nmi.polarity == acpi::Polarity::ActiveLow,
                                 nmi.trigger == acpi::TriggerMode::Level);
    }
}

// The xAPIC's registers, mapped uncached; null when there are none to map
// (no APIC, or x2APIC) or they cannot be mapped.
uint8_t* map_xapic_registers() {
    const lib::Optional<mm::PhysicalAddress> page = arch::xapic_register_page();
    if (!page) return nullptr;
    const ErrorOr<mm::VirtualAddress> window = mm::map_device(*page, arch::kXApicWindowSize, arch::CacheMode::Uncached);
    return window.is_error() ? nullptr : window->as_pointer<uint8_t>();
}

bool is_pic_8259_vector(uint8_t vector) {
    return vector >= arch::kPic8259Base && vector < arch::kPic8259Base + kIsaIrqs;
}

// A real interrupt on IRQ 7 or 15 is in service; a spurious one is not.
bool spurious_pic_8259_interrupt(uint8_t vector) {
    return !pic_8259_irq_in_service(static_cast<uint8_t>(vector - arch::kPic8259Base));
}

// With the 8259s delivering, their vectors get their end-of-interrupt and
// the local APIC's own (the timer's) get the APIC's. An 8259 interrupt that
// came through LINT0 as ExtINT is not in service in the local APIC: it must
// not get the APIC's EOI, which would end another interrupt.
void end_of_interrupt(uint8_t vector) {
    if (is_pic_8259_vector(vector))
        end_pic_8259_irq(static_cast<uint8_t>(vector - arch::kPic8259Base));
    else if (arch::local_apic_mode() != arch::LocalApicMode::None)
        arch::local_apic_end_of_interrupt();
}

// The PC-AT's wiring: the 8259s' output goes to the CPU's INTR pin, or,
// with a local APIC, to its LINT0, which must then take it as ExtINT
// (virtual-wire mode: the 8259 supplies the vector). The local APIC stays on
// there, so its timer ticks as on every other PC (kept to the TSC, and the
// PIT free to be the reference clock it is calibrated with): one LVT entry
// is all that mixing costs, where the PIT's tick would make a second way of
// ticking for PCs that have no need of it. A MADT that wires LINT0 to NMI
// (none seen) loses that wiring here.
void deliver_with_pic_8259() {
    if (arch::local_apic_mode() != arch::LocalApicMode::None)
        arch::write_local_apic(arch::ApicRegister::LvtLint0, arch::kLvtDeliveryExtInt);
    for (const uint8_t irq : kPic8259SpuriousIrqs)
        arch::mark_spurious_vector(static_cast<uint8_t>(arch::kPic8259Base + irq), spurious_pic_8259_interrupt);
    arch::set_end_of_interrupt(end_of_interrupt);
    g_isa_irqs = IsaIrqController::Pic8259;
}

}  // namespace

InterruptRoutingReport init_interrupt_routing(const acpi::Madt* madt) {
    InterruptRoutingReport report;
    // Interrupts stay off throughout: nothing may arrive half-configured.
    const uint64_t flags = arch::save_and_disable_interrupts();
    const bool has_8259 = madt == nullptr || madt->has_8259;
    if (has_8259) {
        remap_and_mask_pic_8259(arch::kPic8259Base);
        // A masked 8259 may still signal a spurious IRQ 7 or 15.
        arch::mark_spurious_vector(arch::kPic8259Base + 7);
        arch::mark_spurious_vector(arch::kPic8259Base + 15);
        report.pic_masked = true;
    }
    report.local_apic = arch::init_local_apic(map_xapic_registers());
    if (report.local_apic != arch::LocalApicMode::None) {
        report.local_apic_id = arch::local_apic_id();
        if (madt != nullptr) {
            wire_local_nmis(*madt);
            for (size_t i = 0; i < madt->io_apics.size() && g_io_apic_count < kMaxIoApics; ++i) {
                if (g_io_apics[g_io_apic_count].init(madt->io_apics[i]).is_error()) continue;
                report.io_apic_pins += g_io_apics[g_io_apic_count].pins();
                ++g_io_apic_count;
            }
            g_madt = madt;
        }
    }
    report.io_apics = g_io_apic_count;
    if (g_io_apic_count > 0)
        g_isa_irqs = IsaIrqController::IoApic;
    else if (has_8259)
        deliver_with_pic_8259();
    report.isa_irqs = g_isa_irqs;
    arch::restore_interrupts(flags);
    return report;
}

IsaIrqController isa_irq_controller() {
    return g_isa_irqs;
}

uint8_t isa_irq_vector(uint8_t irq) {
    const uint8_t base = g_isa_irqs == IsaIrqController::Pic8259 ? arch::kPic8259Base : arch::kIsaIrqBase;
    return static_cast<uint8_t>(base + irq);
}

ErrorOr<void> route_isa_irq(uint8_t irq, uint8_t vector) {
    KASSERT(irq < kIsaIrqs && vector == isa_irq_vector(irq));
    if (g_isa_irqs == IsaIrqController::None) return Error::IsaIrqNoController;
    if (g_isa_irqs == IsaIrqController::Pic8259) {
        const uint64_t flags = arch::save_and_disable_interrupts();
        unmask_pic_8259_irq(irq);
        arch::restore_interrupts(flags);
        return {};
    }
    if (g_madt == nullptr) return Error::IoApicNoPin;
    const acpi::IsaIrqRoute route = acpi::isa_irq_route(*g_madt, irq);
    for (uint32_t i = 0; i < g_io_apic_count; ++i)
        if (g_io_apics[i].handles(route.gsi))
            return g_io_apics[i].route(route.gsi, vector, route.polarity, route.trigger, arch::local_apic_id());
    return Error::IoApicNoPin;
}

}  // namespace kernel::drivers
