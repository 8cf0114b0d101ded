// Checks each page of a range in the live tables before handing it out.
#include "mm/acpi_memory.hpp"

#include "addr/direct_map.hpp"
#include "mm/memory.hpp"

namespace kernel::mm {

const uint8_t* DirectMapPhysicalMemory::view(uint64_t physical_address, uint64_t length) const {
    const uint64_t limit = layout::kDirectMapLimit.value();
    if (length == 0 || physical_address >= limit || length > limit - physical_address) return nullptr;
    const uint64_t first = physical_address & ~(kPageSize - 1);
    for (uint64_t page = first; page < physical_address + length; page += kPageSize)
        if (!kernel_mapper().translate(to_virtual(PhysicalAddress(page)))) return nullptr;
    return to_pointer<const uint8_t>(PhysicalAddress(physical_address));
}

}  // namespace kernel::mm
