// I/O APIC register access through its index/data window.
#include "drivers/ioapic.hpp"

#include "lib/mmio.hpp"
#include "mm/device_windows.hpp"

namespace kernel::drivers {

namespace {

constexpr uint64_t kWindowSize = 0x20;
constexpr uint32_t kRegisterSelect = 0x00, kWindow = 0x10;
constexpr uint8_t kVersionRegister = 0x01;
constexpr uint8_t kRedirectionTable = 0x10;
constexpr unsigned kMaxEntryShift = 16;

}  // namespace

ErrorOr<void> IoApic::init(const acpi::IoApic& description) {
    const auto window =
        mm::map_device(mm::PhysicalAddress(description.address), kWindowSize, arch::CacheMode::Uncached);
    if (window.is_error()) return Error::IoApicUnmappable;
    m_registers = window->as_pointer<uint8_t>();
    m_gsi_base = description.gsi_base;
    m_pins = ((read(kVersionRegister) >> kMaxEntryShift) & 0xFF) + 1;
    for (uint32_t pin = 0; pin < m_pins; ++pin)
        write_entry(pin, ioapic_redirection(0, acpi::Polarity::ActiveHigh, acpi::TriggerMode::Edge, 0, true));
    return {};
}

ErrorOr<void> IoApic::route(uint32_t gsi, uint8_t vector, acpi::Polarity polarity, acpi::TriggerMode trigger,
                            uint32_t apic_id) {
    if (!handles(gsi)) return Error::IoApicNoPin;
    write_entry(gsi - m_gsi_base, ioapic_redirection(vector, polarity, trigger, apic_id, false));
    return {};
}

void IoApic::mask(uint32_t gsi) {
    if (handles(gsi))
        write_entry(gsi - m_gsi_base,
                    ioapic_redirection(0, acpi::Polarity::ActiveHigh, acpi::TriggerMode::Edge, 0, true));
}

uint32_t IoApic::read(uint8_t reg) {
    lib::mmio_write(reinterpret_cast<uint32_t*>(m_registers + kRegisterSelect), uint32_t(reg));
    return lib::mmio_read(reinterpret_cast<const uint32_t*>(m_registers + kWindow));
}

void IoApic::write(uint8_t reg, uint32_t value) {
    lib::mmio_write(reinterpret_cast<uint32_t*>(m_registers + kRegisterSelect), uint32_t(reg));
    lib::mmio_write(reinterpret_cast<uint32_t*>(m_registers + kWindow), value);
}

// High half first, masked low half last: a pin is never live half-written.
void IoApic::write_entry(uint32_t pin, uint64_t entry) {
    const uint8_t reg = static_cast<uint8_t>(kRedirectionTable + 2 * pin);
    write(reg, static_cast<uint32_t>(entry) | (1u << 16));
    write(static_cast<uint8_t>(reg + 1), static_cast<uint32_t>(entry >> 32));
    write(reg, static_cast<uint32_t>(entry));
}

}  // namespace kernel::drivers
