// Decodes the HPET table and refuses a base address the kernel could not map as memory.
#include "acpi/hpet.hpp"

#include "acpi/tables.hpp"

namespace kernel::acpi {

ErrorOr<Hpet> parse_hpet(const Table& table) {
    if (table.length < sizeof(HpetLayout)) return Error::AcpiHpetTooShort;
    auto hpet = load<HpetLayout>(table.bytes, 0);
    if (hpet.base_address.address_space != static_cast<uint8_t>(AddressSpace::SystemMemory))
        return Error::AcpiHpetNotSystemMemory;
    if (hpet.base_address.address == 0) return Error::AcpiHpetNoAddress;
    uint32_t id = hpet.event_timer_block_id;
    Hpet out;
    out.base_address = hpet.base_address.address;
    out.hpet_number = hpet.hpet_number;
    out.minimum_clock_tick = hpet.minimum_clock_tick;
    out.page_protection = hpet.page_protection;
    out.hardware_revision = static_cast<uint8_t>(id);
    out.comparators = static_cast<uint8_t>(((id >> kHpetComparatorsShift) & kHpetComparatorsMask) + 1);
    out.counter_64_bit = (id & kHpetCounter64Bit) != 0;
    out.legacy_replacement = (id & kHpetLegacyReplacement) != 0;
    out.pci_vendor_id = static_cast<uint16_t>(id >> kHpetVendorShift);
    return out;
}

}  // namespace kernel::acpi
