// The contract between the 32-bit trampoline (src/boot/trampoline.asm) and
// kernel_main: one record, filled in before long mode, read once after.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "config.hpp"

namespace kernel::boot {

struct BootHandoff {
    uint32_t multiboot_magic;       // EAX as the loader left it
    uint32_t multiboot_info;        // EBX: physical address of the boot information
    uint64_t kernel_physical_base;  // where the image's link address KERNEL_LINK_PHYSICAL was loaded
    uint64_t entry_tsc;             // the TSC once the CPU checks passed, microseconds after GRUB's jump
};
// The trampoline writes the fields by the offsets in config.inc.
static_assert(offsetof(BootHandoff, multiboot_magic) == HANDOFF_MAGIC);
static_assert(offsetof(BootHandoff, multiboot_info) == HANDOFF_BOOT_INFO);
static_assert(offsetof(BootHandoff, kernel_physical_base) == HANDOFF_KERNEL_PHYSICAL);
static_assert(offsetof(BootHandoff, entry_tsc) == HANDOFF_ENTRY_TSC);
static_assert(sizeof(BootHandoff) == HANDOFF_SIZE);

}  // namespace kernel::boot

// Defined by the trampoline; kernel_main receives its address.
extern "C" const kernel::boot::BootHandoff boot_handoff;
