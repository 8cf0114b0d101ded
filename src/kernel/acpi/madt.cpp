// Walks the MADT's variable-length entries, never trusting an entry's length beyond the table's.
#include "acpi/madt.hpp"

#include "acpi/tables.hpp"

namespace kernel::acpi {
namespace {

constexpr uint8_t kIsaBus = 0;

constexpr Polarity polarity_of(uint16_t inti_flags) {
    return static_cast<Polarity>(inti_flags & kIntiPolarityMask);
}
constexpr TriggerMode trigger_of(uint16_t inti_flags) {
    return static_cast<TriggerMode>((inti_flags >> kIntiTriggerShift) & kIntiTriggerMask);
}

// Bytes an entry of this type needs at least; 0 for types we skip.
constexpr size_t minimum_length(uint8_t type) {
    switch (static_cast<MadtEntryType>(type)) {
    case MadtEntryType::LocalApic: return sizeof(MadtLocalApic);
    case MadtEntryType::IoApic: return sizeof(MadtIoApic);
    case MadtEntryType::InterruptSourceOverride: return sizeof(MadtInterruptOverride);
    case MadtEntryType::NmiSource: return sizeof(MadtNmiSource);
    case MadtEntryType::LocalApicNmi: return sizeof(MadtLocalApicNmi);
    case MadtEntryType::LocalApicAddressOverride: return sizeof(MadtLocalApicAddressOverride);
    case MadtEntryType::LocalX2Apic: return sizeof(MadtLocalX2Apic);
    case MadtEntryType::LocalX2ApicNmi: return sizeof(MadtLocalX2ApicNmi);
    }
    return 0;
}

// The entry's minimum length is already checked against the bytes it has.
void decode_entry(const uint8_t* entry, Madt& out) {
    switch (static_cast<MadtEntryType>(entry[0])) {
    case MadtEntryType::LocalApic: {
        auto e = load<MadtLocalApic>(entry, 0);
        out.processors.push({e.apic_id, e.acpi_processor_uid, false, (e.flags & kProcessorEnabled) != 0,
                             (e.flags & kProcessorOnlineCapable) != 0});
        return;
    }
    case MadtEntryType::LocalX2Apic: {
        auto e = load<MadtLocalX2Apic>(entry, 0);
        out.processors.push({e.x2apic_id, e.acpi_processor_uid, true, (e.flags & kProcessorEnabled) != 0,
                             (e.flags & kProcessorOnlineCapable) != 0});
        return;
    }
    case MadtEntryType::IoApic: {
        auto e = load<MadtIoApic>(entry, 0);
        out.io_apics.push({e.io_apic_id, e.address, e.gsi_base});
        return;
    }
    case MadtEntryType::InterruptSourceOverride: {
        auto e = load<MadtInterruptOverride>(entry, 0);
        out.overrides.push({e.bus, e.source_irq, e.gsi, polarity_of(e.inti_flags), trigger_of(e.inti_flags)});
        return;
    }
    case MadtEntryType::NmiSource: {
        auto e = load<MadtNmiSource>(entry, 0);
        out.nmi_sources.push({e.gsi, polarity_of(e.inti_flags), trigger_of(e.inti_flags)});
        return;
    }
    case MadtEntryType::LocalApicNmi: {
        auto e = load<MadtLocalApicNmi>(entry, 0);
        out.local_apic_nmis.push({e.acpi_processor_uid, e.acpi_processor_uid == kAllProcessorsUid8, e.lint,
                                  polarity_of(e.inti_flags), trigger_of(e.inti_flags)});
        return;
    }
    case MadtEntryType::LocalX2ApicNmi: {
        auto e = load<MadtLocalX2ApicNmi>(entry, 0);
        out.local_apic_nmis.push({e.acpi_processor_uid, e.acpi_processor_uid == kAllProcessorsUid32, e.lint,
                                  polarity_of(e.inti_flags), trigger_of(e.inti_flags)});
        return;
    }
    case MadtEntryType::LocalApicAddressOverride:
        // The spec allows one; should there be more, the first stands.
        if (!out.local_apic_address_overridden) {
            out.local_apic_address = load<MadtLocalApicAddressOverride>(entry, 0).address;
            out.local_apic_address_overridden = true;
        }
        return;
    }
}

}  // namespace

ErrorOr<Madt> parse_madt(const Table& table) {
    if (table.length < sizeof(MadtFixed)) return Error::AcpiMadtTooShort;
    auto fixed = load<MadtFixed>(table.bytes, 0);
    Madt out;
    out.local_apic_address = fixed.local_apic_address;
    out.has_8259 = (fixed.flags & kMadtPcAtCompatible) != 0;
    // Every step advances by at least sizeof(MadtEntryHeader), so the walk ends within length / 2 steps.
    for (size_t offset = sizeof(MadtFixed); offset < table.length;) {
        size_t left = table.length - offset;
        if (left < sizeof(MadtEntryHeader)) return Error::AcpiMadtEntryPastEnd;
        auto header = load<MadtEntryHeader>(table.bytes, offset);
        if (header.length < sizeof(MadtEntryHeader)) return Error::AcpiMadtEntryTooShort;
        if (header.length > left) return Error::AcpiMadtEntryPastEnd;
        size_t needed = minimum_length(header.type);
        if (needed == 0)
            ++out.unknown_entries;
        else if (header.length < needed)
            return Error::AcpiMadtEntryTooShortForType;
        else
            decode_entry(table.bytes + offset, out);
        offset += header.length;
    }
    return out;
}

IsaIrqRoute isa_irq_route(const Madt& madt, uint8_t irq) {
    IsaIrqRoute route{irq, Polarity::ActiveHigh, TriggerMode::Edge, false};
    for (const InterruptOverride& entry : madt.overrides) {
        if (entry.bus != kIsaBus || entry.source_irq != irq) continue;
        route.gsi = entry.gsi;
        route.overridden = true;
        // Reserved encodings are treated like "conforms": the ISA convention is the safe guess.
        if (entry.polarity == Polarity::ActiveLow) route.polarity = Polarity::ActiveLow;
        if (entry.trigger == TriggerMode::Level) route.trigger = TriggerMode::Level;
        break;
    }
    return route;
}

}  // namespace kernel::acpi
