// Where the kernel image lies in physical memory: the trampoline says where
// the loader put its link address (BootHandoff::kernel_physical_base), the
// linker script says how far each part of it lies from there.
#pragma once

#include <stdint.h>

#include "config.hpp"

// The end of the image (.bss included), from linker.ld (a virtual address).
extern "C" char __kernel_end[];

namespace kernel::boot {

// How far a (higher-half) address of the image lies from its start, the
// trampoline at KERNEL_LINK_PHYSICAL; add the physical base for its frame.
inline uint64_t image_offset(const void* symbol) {
    return reinterpret_cast<uintptr_t>(symbol) - KERNEL_VIRTUAL_OFFSET - KERNEL_LINK_PHYSICAL;
}

// The image's size in bytes, from its start to the end of .bss.
inline uint64_t image_size() {
    return image_offset(__kernel_end);
}

}  // namespace kernel::boot
