// The kernel's own page tables, replacing the trampoline's 0-4 GiB identity
// map: W^X for the kernel image, nothing at address 0 or in the stack guard
// page, and only the boot information and the screen kept besides.
#pragma once

#include <stdint.h>

#include "arch/x86_64/page_table.hpp"

namespace kernel::arch {

struct PhysicalRange {
    uint64_t base = 0;
    uint64_t size = 0;  // 0: nothing to map
};

// Whether page tables may use the NX bit: the trampoline sets EFER.NXE only
// when CPUID reports NX.
bool no_execute_enabled();

// Builds the tables, loads CR3 and reports W^X on the console; panics if a
// page would be writable and executable on a CPU with NX. Identity maps stay
// identity maps, so every pointer the kernel holds keeps working.
void init_kernel_page_tables(PhysicalRange boot_info, PhysicalRange framebuffer);

// Walks the live tables (CR3).
WalkStats walk_kernel_page_tables();

}  // namespace kernel::arch
