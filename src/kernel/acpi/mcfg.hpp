// The MCFG table decoded: where each PCI segment's buses have their ECAM window, the memory-mapped form of PCI
// configuration space (4 KiB per function, 1 MiB per bus).
#pragma once

#include <stdint.h>

#include "acpi/fixed_list.hpp"
#include "acpi/sdt.hpp"
#include "lib/error.hpp"

namespace kernel::acpi {

// Bus N of the segment has its configuration space at base_address + (N << kEcamBusShift), for N in
// [start_bus, end_bus]; below start_bus there is nothing.
struct EcamWindow {
    uint64_t base_address = 0;  // Physical: where bus 0 would be. 1 MiB-aligned, never 0 (checked).
    uint16_t segment = 0;
    uint8_t start_bus = 0;
    uint8_t end_bus = 0;
};

inline constexpr unsigned kEcamBusShift = 20;  // 32 devices x 8 functions x 4 KiB

struct Mcfg {
    FixedList<EcamWindow, 8> windows;
    // Entries left out: a base of 0 or not 1 MiB-aligned, an end bus below the start bus, or a window past the
    // 52 bits of a physical address. The others are still used.
    uint32_t refused_entries = 0;
};

// Rejects a table whose entries do not fill it exactly (AcpiMcfgBadLength) or that is shorter than its fixed
// part (AcpiMcfgTooShort); a table with no entry at all is valid and has no window.
[[nodiscard]] ErrorOr<Mcfg> parse_mcfg(const Table& table);

// The window that holds `bus` of `segment`, or null.
[[nodiscard]] const EcamWindow* find_ecam_window(const Mcfg& mcfg, uint16_t segment, uint8_t bus);

}  // namespace kernel::acpi
