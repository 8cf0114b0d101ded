// The kernel's address space (mm/layout.hpp) made real: the frame allocator
// built from the boot information, the kernel's own page tables (the image at
// its link address with W^X, all physical memory in the direct map, nothing
// in the lower half), the PAT, guarded IST stacks, device windows and the heap.
#pragma once

#include <stdint.h>

#include "arch/x86_64/boot_handoff.hpp"
#include "arch/x86_64/mapper.hpp"
#include "lib/optional.hpp"
#include "mm/address.hpp"
#include "mm/frame_allocator.hpp"
#include "mm/heap.hpp"
#include "multiboot/multiboot2.hpp"

namespace kernel::arch {

struct MemorySummary {
    mm::PhysicalAddress kernel_physical;  // where the loader put the image
    uint64_t kernel_bytes = 0;
    uint64_t free_bytes = 0;  // what the frame allocator can hand out
    uint64_t page_tables = 0;
    bool gigabyte_pages = false;
    bool write_combining = false;  // the PAT is programmed
};

// Builds everything above and switches CR3 to it; panics with
// the reason when memory cannot be set up. Until it returns, the kernel runs
// on the trampoline's tables, whose direct map covers only 0-4 GiB.
MemorySummary init_memory(const BootHandoff& handoff, const multiboot::BootInfo& info);

// Walks the live tables and says how many pages are writable and executable
// at once: panics unless 0 on a CPU with NX.
void report_page_protection();

// Maps [physical, +size) into the device windows and returns the virtual
// address of `physical`, or nothing when it cannot (size 0, out of frames).
[[nodiscard]] lib::Optional<mm::VirtualAddress> map_device(mm::PhysicalAddress physical, uint64_t size,
                                                           CacheMode cache);
// Gives back what map_device mapped (e.g. a framebuffer the console refused).
void unmap_device(mm::VirtualAddress address, uint64_t size);

mm::FrameAllocator& frame_allocator();
mm::Heap& kernel_heap();
Mapper& kernel_mapper();

// Whether page tables may use the NX bit: the trampoline sets EFER.NXE only
// when CPUID reports NX.
bool no_execute_enabled();

}  // namespace kernel::arch
