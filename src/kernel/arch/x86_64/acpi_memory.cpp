// Checks each page of a range in the live tables before handing it out.
#include "arch/x86_64/acpi_memory.hpp"

#include "arch/x86_64/paging.hpp"
#include "mm/direct_map.hpp"

namespace kernel::arch {

const uint8_t* DirectMapPhysicalMemory::view(uint64_t physical_address, uint64_t length) const {
    const uint64_t limit = mm::layout::kDirectMapLimit.value();
    if (length == 0 || physical_address >= limit || length > limit - physical_address) return nullptr;
    const uint64_t first = physical_address & ~(kPageSize - 1);
    for (uint64_t page = first; page < physical_address + length; page += kPageSize)
        if (!kernel_mapper().translate(mm::to_virtual(mm::PhysicalAddress(page)))) return nullptr;
    return mm::to_pointer<const uint8_t>(mm::PhysicalAddress(physical_address));
}

}  // namespace kernel::arch
