// The slots in use are bits in a small bitmap; a stack's pages are mapped
// one frame at a time, and given back the same way.
#include "mm/kernel_stacks.hpp"

#include "addr/layout.hpp"
#include "lib/panic.hpp"
#include "mm/memory.hpp"

namespace kernel::mm {

namespace {

static_assert(kMaxKernelStacks <= layout::kKernelStackSlots);
constexpr uint64_t kBitsPerWord = 64;

constinit uint64_t g_slots_in_use[kMaxKernelStacks / kBitsPerWord] = {};

lib::Optional<uint64_t> take_slot() {
    for (uint64_t word = 0; word < kMaxKernelStacks / kBitsPerWord; ++word) {
        if (g_slots_in_use[word] == ~0ull) continue;
        const unsigned bit = static_cast<unsigned>(__builtin_ctzll(~g_slots_in_use[word]));
        g_slots_in_use[word] |= 1ull << bit;
        return word * kBitsPerWord + bit;
    }
    return lib::kNone;
}

void give_back_slot(uint64_t slot) {
    g_slots_in_use[slot / kBitsPerWord] &= ~(1ull << (slot % kBitsPerWord));
}

bool slot_in_use(uint64_t slot) {
    return (g_slots_in_use[slot / kBitsPerWord] & (1ull << (slot % kBitsPerWord))) != 0;
}

// Unmaps the mapped pages of [bottom, end) and frees their frames.
void release_pages(VirtualAddress bottom, VirtualAddress end) {
    for (VirtualAddress page = bottom; page < end; page += kPageSize) {
        const lib::Optional<arch::Mapping> mapping = kernel_mapper().translate(page);
        if (!mapping) continue;
        const ErrorOr<void> unmapped = kernel_mapper().unmap(page, kPageSize);
        if (unmapped.is_error()) panic("cannot unmap a kernel stack page: %s", to_string(unmapped.error()));
        frame_allocator().free(mapping->physical);
    }
}

// Maps frames behind [bottom, top); all or nothing.
ErrorOr<void> map_pages(VirtualAddress bottom, VirtualAddress top) {
    for (VirtualAddress page = bottom; page < top; page += kPageSize) {
        const lib::Optional<PhysicalAddress> frame = frame_allocator().allocate();
        ErrorOr<void> mapped = Error::OutOfFrames;
        if (frame) mapped = kernel_mapper().map(page, *frame, kPageSize, arch::PageAccess::ReadWrite);
        if (!mapped.is_error()) continue;
        if (frame) frame_allocator().free(*frame);
        release_pages(bottom, page);
        return mapped.error();
    }
    return {};
}

}  // namespace

ErrorOr<VirtualAddress> allocate_kernel_stack() {
    const lib::Optional<uint64_t> slot = take_slot();
    if (!slot) return Error::NoKernelStackSlot;
    const VirtualAddress top = layout::kernel_stack_top(*slot);
    const ErrorOr<void> mapped = map_pages(layout::kernel_stack_bottom(*slot), top);
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
    release_pages(layout::kernel_stack_bottom(slot), top);
    give_back_slot(slot);
}

}  // namespace kernel::mm
