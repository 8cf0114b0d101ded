// Device windows: physical ranges that are not RAM (a framebuffer, MMIO
// registers) or lie beyond the direct map, mapped into their own part of the
// address space with the cache mode the device needs.
#pragma once

#include <stdint.h>

#include "addr/address.hpp"
#include "arch/x86_64/page_entry.hpp"
#include "lib/error.hpp"

namespace kernel::mm {

// Maps [physical, +size) into the next free window and returns the virtual
// address of `physical`. Errors: MapEmptyRange for size 0, else what the
// mapper says (OutOfFrames, MapPhysicalTooHigh).
[[nodiscard]] ErrorOr<VirtualAddress> map_device(PhysicalAddress physical, uint64_t size, arch::CacheMode cache);
// Gives back what map_device mapped (e.g. a framebuffer the console refused).
void unmap_device(VirtualAddress address, uint64_t size);

}  // namespace kernel::mm
