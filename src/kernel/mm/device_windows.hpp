// Device windows: what the direct map does not show (a framebuffer, MMIO
// registers, firmware tables in reserved memory, anything beyond its limit),
// mapped into their own part of the address space with the cache mode the
// device needs. Never for a page the direct map shows write-back with
// another mode: one page with two memory types is undefined behaviour.
#pragma once

#include <stdint.h>

#include "addr/address.hpp"
#include "arch/x86_64/page_entry.hpp"
#include "lib/error.hpp"

namespace kernel::mm {

// Maps [physical, +size) into the next free window and returns the virtual
// address of `physical`. Errors: MapEmptyRange for size 0, else what the
// mapper says (OutOfFrames, MapPhysicalTooHigh).
[[nodiscard]] ErrorOr<VirtualAddress> map_device(PhysicalAddress physical, uint64_t size, arch::CacheMode cache,
                                                 arch::PageAccess access = arch::PageAccess::ReadWrite);
// Gives back what map_device mapped (e.g. a framebuffer the console refused).
void unmap_device(VirtualAddress address, uint64_t size);

}  // namespace kernel::mm
