// Turns parsed Multiboot2 information into mink's own boot record: the one
// place where the loader's types meet the kernel's. Pure, host-tested.
#pragma once

#include "boot/boot_record.hpp"
#include "multiboot/multiboot2.hpp"

namespace kernel::multiboot {

// The record points into the boot information (strings, the memory map, the
// RSDP), which must outlive it. The two ranges are what the caller knows
// about the image and about the boot information's own place.
[[nodiscard]] boot::BootRecord to_boot_record(const BootInfo& info, boot::PhysicalRange kernel_image,
                                              boot::PhysicalRange boot_information);

}  // namespace kernel::multiboot
