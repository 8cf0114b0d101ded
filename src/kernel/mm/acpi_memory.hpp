// The ACPI parser's window onto physical memory. A table in RAM or an ACPI
// range is read through the direct map. A table elsewhere (SeaBIOS keeps its
// tables in memory its map calls reserved, which the direct map does not
// show) is read through a read-only device window, write-back like the
// direct map: that leaves the memory type to the firmware's MTRRs, as for
// RAM. A range the direct map shows only in part is unreadable: a window
// onto it would show those pages twice.
#pragma once

#include <stdint.h>

#include "acpi/sdt.hpp"

namespace kernel::mm {

class AcpiPhysicalMemory final : public acpi::PhysicalMemory {
public:
    [[nodiscard]] const uint8_t* view(uint64_t physical_address, uint64_t length) const override;
};

}  // namespace kernel::mm
