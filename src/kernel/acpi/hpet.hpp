// The HPET table decoded: where the first High Precision Event Timer's registers are and what it offers.
#pragma once

#include <stdint.h>

#include "acpi/sdt.hpp"
#include "lib/error.hpp"

namespace kernel::acpi {

struct Hpet {
    uint64_t base_address = 0;  // Physical, in system memory space (checked).
    uint8_t hpet_number = 0;
    uint16_t minimum_clock_tick = 0;  // Smallest periodic tick, in main-counter ticks, without losing interrupts.
    uint8_t page_protection = 0;
    // From the Event Timer Block ID, a copy of the HPET's capability register: the registers themselves are
    // authoritative once mapped.
    uint8_t hardware_revision = 0;
    uint8_t comparators = 0;
    bool counter_64_bit = false;
    bool legacy_replacement = false;
    uint16_t pci_vendor_id = 0;
};

[[nodiscard]] ErrorOr<Hpet> parse_hpet(const Table& table);

}  // namespace kernel::acpi
