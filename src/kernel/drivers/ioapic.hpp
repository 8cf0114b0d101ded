// An I/O APIC: routes its pins (global system interrupts from gsi_base on)
// to vectors on a local APIC, each with the MADT's polarity and trigger mode.
#pragma once

#include <stdint.h>

#include "acpi/madt.hpp"
#include "lib/error.hpp"

namespace kernel::drivers {

// A redirection table entry: fixed delivery, physical destination. Pure, so
// it is host-tested.
[[nodiscard]] constexpr uint64_t ioapic_redirection(uint8_t vector, acpi::Polarity polarity, acpi::TriggerMode trigger,
                                                    uint32_t apic_id, bool masked) {
    constexpr uint64_t kActiveLow = 1u << 13, kLevel = 1u << 15, kMasked = 1u << 16;
    constexpr unsigned kDestinationShift = 56;
    return vector | (polarity == acpi::Polarity::ActiveLow ? kActiveLow : 0) |
           (trigger == acpi::TriggerMode::Level ? kLevel : 0) | (masked ? kMasked : 0) |
           (uint64_t(apic_id & 0xFF) << kDestinationShift);
}

class IoApic {
public:
    // Maps the registers uncached and masks every pin; IoApicUnmappable when
    // they cannot be mapped.
    [[nodiscard]] ErrorOr<void> init(const acpi::IoApic& description);

    [[nodiscard]] bool handles(uint32_t gsi) const { return gsi >= m_gsi_base && gsi - m_gsi_base < m_pins; }
    [[nodiscard]] uint32_t pins() const { return m_pins; }

    // Sends gsi to vector on the local APIC apic_id, unmasked; IoApicNoPin
    // when gsi is not one of this I/O APIC's pins.
    [[nodiscard]] ErrorOr<void> route(uint32_t gsi, uint8_t vector, acpi::Polarity polarity, acpi::TriggerMode trigger,
                                      uint32_t apic_id);
    void mask(uint32_t gsi);

private:
    [[nodiscard]] uint32_t read(uint8_t reg);
    void write(uint8_t reg, uint32_t value);
    void write_entry(uint32_t pin, uint64_t entry);

    uint8_t* m_registers = nullptr;
    uint32_t m_gsi_base = 0;
    uint32_t m_pins = 0;
};

}  // namespace kernel::drivers
