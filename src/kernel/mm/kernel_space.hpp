// The kernel's half of the address space as init_memory first builds it:
// the image with W^X and a guard below the boot stack, and the direct map.
#pragma once

#include "boot/boot_record.hpp"

namespace kernel::mm {

// Maps both into the (not yet live) kernel tables; panics when it cannot.
void map_kernel_space(const boot::BootRecord& boot);

}  // namespace kernel::mm
