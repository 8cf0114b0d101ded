// The kernel's virtual address space in one place. Every region starts on a
// PML4 slot (512 GiB) boundary so regions never share a top-level table.
//
//   virtual address          size     PML4     what
//   0x0000'0000'0000'0000    4 KiB    0        page 0: never mapped, so null dereferences fault
//   0x0000'0000'0000'1000    ~128 TiB 0-255    lower half: user space one day; today only the
//                                              boot identity map, and only until entry64 runs
//   0xFFFF'8000'0000'0000    64 TiB   256-383  direct map of RAM and the ACPI ranges, NX
//   0xFFFF'C000'0000'0000    8 TiB    384-399  kernel heap, grows up
//   0xFFFF'C800'0000'0000    8 TiB    400-415  kernel stacks, each above an unmapped guard page
//   0xFFFF'D000'0000'0000    16 TiB   416-447  device windows: framebuffer (WC), MMIO (UC)
//   0xFFFF'E000'0000'0000             448-510  unused
//   0xFFFF'FFFF'8000'0000    2 GiB    511      kernel image (-mcmodel=kernel needs the top 2 GiB)
#pragma once

#include <stdint.h>

#include "addr/address.hpp"
#include "config.hpp"

namespace kernel::mm::layout {

inline constexpr uint64_t kKiB = 1ull << 10;
inline constexpr uint64_t kMiB = 1ull << 20;
inline constexpr uint64_t kGiB = 1ull << 30;
inline constexpr uint64_t kTiB = 1ull << 40;

// Everything below this virtual address stays unmapped.
inline constexpr VirtualAddress kNullGuardEnd{kPageSize};

inline constexpr VirtualAddress kDirectMapBase{DIRECT_MAP_BASE};  // config.hpp: the trampoline maps it too
inline constexpr uint64_t kDirectMapSize = 64 * kTiB;
// Physical memory at or above this cannot be reached through the direct map.
inline constexpr PhysicalAddress kDirectMapLimit{kDirectMapSize};

inline constexpr VirtualAddress kHeapBase{0xFFFF'C000'0000'0000};
inline constexpr uint64_t kHeapMaxSize = 8 * kTiB;

inline constexpr VirtualAddress kKernelStacksBase{0xFFFF'C800'0000'0000};
inline constexpr uint64_t kKernelStacksSize = 8 * kTiB;
// Each stack owns one slot: a guard page that is never mapped, then the stack.
inline constexpr uint64_t kKernelStackSlotSize = 64 * kKiB;
inline constexpr uint64_t kKernelStackSize = kKernelStackSlotSize - kPageSize;
inline constexpr uint64_t kKernelStackSlots = kKernelStacksSize / kKernelStackSlotSize;

inline constexpr VirtualAddress kDeviceWindowsBase{0xFFFF'D000'0000'0000};
inline constexpr uint64_t kDeviceWindowsSize = 16 * kTiB;

inline constexpr VirtualAddress kKernelImageBase{KERNEL_VIRTUAL_OFFSET};  // config.hpp: linker.ld links there
inline constexpr uint64_t kKernelImageMaxSize = 2 * kGiB;

// Lowest mapped address of stack `slot`; its guard page lies just below.
constexpr VirtualAddress kernel_stack_bottom(uint64_t slot) {
    KASSERT(slot < kKernelStackSlots);
    return kKernelStacksBase + slot * kKernelStackSlotSize + kPageSize;
}
// The initial stack pointer of stack `slot` (stacks grow down).
constexpr VirtualAddress kernel_stack_top(uint64_t slot) {
    return kernel_stack_bottom(slot) + kKernelStackSize;
}

static_assert(kDirectMapBase + kDirectMapSize == kHeapBase);
static_assert(kHeapBase + kHeapMaxSize == kKernelStacksBase);
static_assert(kKernelStacksBase + kKernelStacksSize == kDeviceWindowsBase);
static_assert(kDeviceWindowsBase + kDeviceWindowsSize <= kKernelImageBase);
static_assert(kKernelImageBase.value() + (kKernelImageMaxSize - 1) == UINT64_MAX);

}  // namespace kernel::mm::layout
