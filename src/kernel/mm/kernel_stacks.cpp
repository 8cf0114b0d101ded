// The slots in use are bits in a small bitmap; a stack's pages are mapped
// and given back through the memory manager (mm/memory.hpp).
#include "mm/kernel_stacks.hpp"

#include "addr/layout.hpp"
#include "arch/x86_64/spinlock.hpp"
#include "lib/panic.hpp"
#include "mm/memory.hpp"

namespace kernel::mm {

namespace {

static_assert(kMaxKernelStacks <= layout::kKernelStackSlots);
constexpr uint64_t kBitsPerWord = 64;

constinit uint64_t g_slots_in_use[kMaxKernelStacks / kBitsPerWord] = {};
constinit arch::SpinLock g_slots_lock;  // guards g_slots_in_use

lib::Optional<uint64_t> take_slot() {
    arch::SpinLockGuard guard(g_slots_lock);
    for (uint64_t word = 0; word < kMaxKernelStacks / kBitsPerWord; ++word) {
        if (g_slots_in_use[word] == ~0ull) continue;
        const unsigned bit = static_cast<unsigned>(__builtin_ctzll(~g_slots_in_use[word]));
        g_slots_in_use[word] |= 1ull << bit;
        return word * kBitsPerWord + bit;
    }
    return lib::kNone;
}

void give_back_slot(uint64_t slot) {
    arch::SpinLockGuard guard(g_slots_lock);
    g_slots_in_use[slot / kBitsPerWord] &= ~(1ull << (slot % kBitsPerWord));
}

bool slot_in_use(uint64_t slot) {
    arch::SpinLockGuard guard(g_slots_lock);
    return (g_slots_in_use[slot / kBitsPerWord] & (1ull << (slot % kBitsPerWord))) != 0;
}

}  // namespace

ErrorOr<VirtualAddress> allocate_kernel_stack() {
    const lib::Optional<uint64_t> slot = take_slot();
    if (!slot) return Error::NoKernelStackSlot;
    const VirtualAddress top = layout::kernel_stack_top(*slot);
    const VirtualAddress bottom = layout::kernel_stack_bottom(*slot);
    const ErrorOr<void> mapped = map_fresh_pages(bottom, top - bottom);
    if (mapped.is_error()) {
        give_back_slot(*slot);
        return mapped.error();
    }
    return top;
}

void free_kernel_stack(VirtualAddress top) {
    const uint64_t slot = (top - layout::kKernelStacksBase - 1) / layout::kKernelStackSlotSize;
    if (slot >= kMaxKernelStacks || layout::kernel_stack_top(slot) != top || !slot_in_use(slot))
        panic("free_kernel_stack(%#llx): not the top of a kernel stack in use", (unsigned long long)top.value());
    const VirtualAddress bottom = layout::kernel_stack_bottom(slot);
    unmap_and_free(bottom, top - bottom);
    give_back_slot(slot);
}

}  // namespace kernel::mm
