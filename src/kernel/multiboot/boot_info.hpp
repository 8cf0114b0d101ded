// The kernel's one door to the loader's data: check the hand-over, parse the
// Multiboot2 information and turn it into mink's boot record, or stop.
#pragma once

#include <stdint.h>

#include "boot/boot_handoff.hpp"
#include "boot/boot_record.hpp"

namespace kernel::multiboot {

// GRUB's boot information is a few KiB; anything claiming more is corrupt.
inline constexpr uint32_t kMaxBootInfoSize = 1u << 20;

// How many bytes of boot information at `address` the kernel will read: its
// total_size, capped at kMaxBootInfoSize (the parser rejects a larger one).
uint32_t boot_info_size(uintptr_t address);

// Checks the loader's magic and parses the boot information, readable at
// `address` (0 when the loader gave none); panics with the reason when
// either is wrong, since nothing after can be trusted. The record points
// into the boot information, which must stay mapped.
boot::BootRecord read_boot_record(const boot::BootHandoff& handoff, uintptr_t address);

}  // namespace kernel::multiboot
