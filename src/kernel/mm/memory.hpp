// The memory manager: the kernel's frames, its address space (the image at
// its link address with W^X, RAM and the ACPI ranges in the direct map,
// nothing in the lower half) and its heap, set up once from the boot record.
// Kernel stacks (kernel_stacks.hpp) and device windows (device_windows.hpp)
// are carved from the same address space.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "addr/address.hpp"
#include "arch/x86_64/mapper.hpp"
#include "arch/x86_64/spinlock.hpp"
#include "boot/boot_record.hpp"
#include "lib/error.hpp"
#include "mm/frame_allocator.hpp"
#include "mm/heap.hpp"

namespace kernel::mm {

// Builds everything above and switches CR3 to it; panics with the reason
// when memory cannot be set up. Until it returns, the kernel runs on the
// trampoline's tables, whose direct map covers only 0-4 GiB.
void init_memory(const boot::BootRecord& boot);

// Walks the live tables and says how many pages are writable and executable
// at once: panics unless 0 on a CPU with NX.
void report_page_protection();

// One lock for the kernel's memory: the frame allocator, the live page
// tables and the heap, which threads and interrupt handlers share. Every
// function below takes it; mm code that uses frame_allocator(),
// kernel_heap() or kernel_mapper() directly to change them holds it
// (arch::SpinLockGuard guard(memory_lock())).
[[nodiscard]] arch::SpinLock& memory_lock();

// The heap behind new and delete: null when it is out of memory.
[[nodiscard]] void* heap_allocate(size_t size, size_t alignment = Heap::kMinAlignment);
void heap_free(void* pointer);
void heap_free(void* pointer, size_t size);  // checked against the block's size

// Maps fresh frames, read-write, behind [start, +size): all or nothing, so
// a failure part-way gives back what it took (the heap and kernel stacks).
[[nodiscard]] ErrorOr<void> map_fresh_pages(VirtualAddress start, uint64_t size);
// Unmaps [start, +size) and frees the frames behind it; holes are skipped.
void unmap_and_free(VirtualAddress start, uint64_t size);

// For reading their figures, or changing them with memory_lock() held.
FrameAllocator& frame_allocator();
Heap& kernel_heap();
// The live page tables' mapper.
arch::Mapper& kernel_mapper();

}  // namespace kernel::mm
