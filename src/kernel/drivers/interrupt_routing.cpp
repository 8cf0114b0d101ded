// Interrupt controller bring-up in the order the hardware needs it.
#include "drivers/interrupt_routing.hpp"

#include "arch/x86_64/interrupts.hpp"
#include "drivers/ioapic.hpp"
#include "drivers/pic_8259.hpp"
#include "mm/device_windows.hpp"

namespace kernel::drivers {

namespace {

constexpr uint32_t kMaxIoApics = 8;

constinit IoApic g_io_apics[kMaxIoApics]{};
constinit uint32_t g_io_apic_count = 0;
constinit const acpi::Madt* g_madt = nullptr;

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

}  // namespace

InterruptRoutingReport init_interrupt_routing(const acpi::Madt* madt) {
    InterruptRoutingReport report;
    // Interrupts stay off throughout: nothing may arrive half-configured.
    const uint64_t flags = arch::save_and_disable_interrupts();
    if (madt == nullptr || madt->has_8259) {
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
    arch::restore_interrupts(flags);
    return report;
}

ErrorOr<void> route_isa_irq(uint8_t irq, uint8_t vector) {
    if (g_madt == nullptr) return Error::IoApicNoPin;
    const acpi::IsaIrqRoute route = acpi::isa_irq_route(*g_madt, irq);
    for (uint32_t i = 0; i < g_io_apic_count; ++i)
        if (g_io_apics[i].handles(route.gsi))
            return g_io_apics[i].route(route.gsi, vector, route.polarity, route.trigger, arch::local_apic_id());
    return Error::IoApicNoPin;
}

}  // namespace kernel::drivers
