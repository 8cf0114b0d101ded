// Decodes the MCFG's entries, keeping only windows the kernel could map as they are described.
#include "acpi/mcfg.hpp"

#include "acpi/tables.hpp"

namespace kernel::acpi {
namespace {

// x86-64's architectural limit on physical addresses.
constexpr uint64_t kPhysicalAddressLimit = 1ull << 52;
constexpr uint64_t kBusWindowSize = 1ull << kEcamBusShift;

bool usable(const McfgEntry& entry) {
    if (entry.base_address == 0 || entry.base_address % kBusWindowSize != 0) return false;
    if (entry.end_bus < entry.start_bus) return false;
    const uint64_t span = (uint64_t{entry.end_bus} + 1) << kEcamBusShift;
    return entry.base_address < kPhysicalAddressLimit && span <= kPhysicalAddressLimit - entry.base_address;
}

}  // namespace

ErrorOr<Mcfg> parse_mcfg(const Table& table) {
    if (table.length < sizeof(McfgFixed)) return Error::AcpiMcfgTooShort;
    if ((table.length - sizeof(McfgFixed)) % sizeof(McfgEntry) != 0) return Error::AcpiMcfgBadLength;
    Mcfg out;
    for (size_t offset = sizeof(McfgFixed); offset < table.length; offset += sizeof(McfgEntry)) {
        const auto entry = load<McfgEntry>(table.bytes, offset);
        if (!usable(entry)) {
            if (out.refused_entries != UINT32_MAX) ++out.refused_entries;
            continue;
        }
        out.windows.push({entry.base_address, entry.segment, entry.start_bus, entry.end_bus});
    }
    return out;
}

const EcamWindow* find_ecam_window(const Mcfg& mcfg, uint16_t segment, uint8_t bus) {
    for (const EcamWindow& window : mcfg.windows)
        if (window.segment == segment && window.start_bus <= bus && bus <= window.end_bus) return &window;
    return nullptr;
}

}  // namespace kernel::acpi
