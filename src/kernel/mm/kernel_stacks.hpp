// Kernel stacks: each in its own slot of the kernel-stack region
// (addr/layout.hpp), above a guard page that is never mapped, so an overflow
// faults instead of overwriting a neighbour. Taken and given back one by one.
#pragma once

#include "addr/address.hpp"
#include "lib/error.hpp"

namespace kernel::mm {

// At most this many stacks live at once (the region has room for far more).
inline constexpr uint64_t kMaxKernelStacks = 4096;

// Maps a fresh stack of layout::kKernelStackSize bytes in the lowest free
// slot and returns its top (the initial stack pointer). Errors: no slot left
// (NoKernelStackSlot), no frame left (OutOfFrames); nothing is kept then.
[[nodiscard]] ErrorOr<VirtualAddress> allocate_kernel_stack();

// Unmaps a stack allocate_kernel_stack returned (by its top) and gives back
// its frames and its slot. Nothing may run on it any more.
void free_kernel_stack(VirtualAddress top);

}  // namespace kernel::mm
