// The kernel's one door to the boot information: validate it or stop.
#pragma once

#include <stdint.h>

#include "multiboot/multiboot2.hpp"

namespace kernel::multiboot {

// GRUB's boot information is a few KiB; anything claiming more is corrupt.
inline constexpr uint32_t kMaxBootInfoSize = 1u << 20;

// How many bytes of boot information at `address` the kernel will read: its
// total_size, capped at kMaxBootInfoSize (the parser rejects a larger one).
uint32_t boot_info_size(uintptr_t address);

// Checks the loader's magic and parses the boot information at `address`;
// panics with the reason when either is wrong, since nothing after can be
// trusted. Returns views into the boot information, which must stay mapped.
BootInfo validated_boot_info(uint32_t magic, uintptr_t address);

}  // namespace kernel::multiboot
