// The MADT ("APIC" table) decoded: local APIC address, processors, I/O APICs, ISA overrides and NMI wiring.
#pragma once

#include <stdint.h>

#include "acpi/fixed_list.hpp"
#include "acpi/sdt.hpp"
#include "lib/error.hpp"

namespace kernel::acpi {

// MPS INTI encodings; "conforms" means the bus's own convention (ISA: active high, edge).
enum class Polarity : uint8_t { ConformsToBus = 0, ActiveHigh = 1, Reserved = 2, ActiveLow = 3 };
enum class TriggerMode : uint8_t { ConformsToBus = 0, Edge = 1, Reserved = 2, Level = 3 };

// A processor's local APIC, from a type 0 (xAPIC, 8-bit ids) or type 9 (x2APIC, 32-bit ids) entry.
struct Processor {
    uint32_t apic_id = 0;
    uint32_t acpi_uid = 0;
    bool x2apic = false;  // Came from a type 9 entry.
    bool enabled = false;
    bool online_capable = false;  // Disabled now, but may be brought online later.
};

struct IoApic {
    uint8_t id = 0;
    uint32_t address = 0;
    uint32_t gsi_base = 0;  // First global system interrupt on its pins.
};

struct InterruptOverride {
    uint8_t bus = 0;
    uint8_t source_irq = 0;
    uint32_t gsi = 0;
    Polarity polarity = Polarity::ConformsToBus;
    TriggerMode trigger = TriggerMode::ConformsToBus;
};

// A GSI wired to NMI rather than to a device.
struct NmiSource {
    uint32_t gsi = 0;
    Polarity polarity = Polarity::ConformsToBus;
    TriggerMode trigger = TriggerMode::ConformsToBus;
};

// Which LINT pin of which processors' local APIC carries NMI (types 4 and 10).
struct LocalApicNmi {
    uint32_t acpi_uid = 0;
    bool all_processors = false;
    uint8_t lint = 0;
    Polarity polarity = Polarity::ConformsToBus;
    TriggerMode trigger = TriggerMode::ConformsToBus;
};

struct Madt {
    uint64_t local_apic_address = 0;  // The type 5 override when present, else the 32-bit field.
    bool local_apic_address_overridden = false;
    bool has_8259 = false;  // PCAT_COMPAT: dual 8259 PICs present, to be masked before using the APICs.
    FixedList<Processor, 64> processors;
    FixedList<IoApic, 8> io_apics;
    FixedList<InterruptOverride, 24> overrides;
    FixedList<NmiSource, 8> nmi_sources;
    FixedList<LocalApicNmi, 16> local_apic_nmis;
    uint32_t unknown_entries = 0;  // Types this parser does not decode (skipped by their length).
};

// Every entry's length is checked before it is used; entries of unknown type are skipped.
[[nodiscard]] ErrorOr<Madt> parse_madt(const Table& table);

// Where an ISA IRQ really arrives: identity unless an override for bus 0 says otherwise, with "conforms" resolved
// to the ISA convention, so the result is always ActiveHigh/ActiveLow and Edge/Level.
struct IsaIrqRoute {
    uint32_t gsi = 0;
    Polarity polarity = Polarity::ActiveHigh;
    TriggerMode trigger = TriggerMode::Edge;
    bool overridden = false;
};
[[nodiscard]] IsaIrqRoute isa_irq_route(const Madt& madt, uint8_t irq);

}  // namespace kernel::acpi
