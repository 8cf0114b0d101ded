// The ACPI parser's window onto physical memory, backed by the direct map:
// only ranges whose every page the kernel's tables map are readable.
#pragma once

#include <stdint.h>

#include "acpi/sdt.hpp"

namespace kernel::mm {

class DirectMapPhysicalMemory final : public acpi::PhysicalMemory {
public:
    [[nodiscard]] const uint8_t* view(uint64_t physical_address, uint64_t length) const override;
};

}  // namespace kernel::mm
