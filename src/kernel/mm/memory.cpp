// Sets up the kernel's memory in the order each part needs the one before:
// frames, then the tables (built from those frames), then the heap (which
// grows by mapping more of them).
#include "mm/memory.hpp"

#include "addr/direct_map.hpp"
#include "addr/layout.hpp"
#include "arch/x86_64/paging.hpp"
#include "lib/log.hpp"
#include "lib/panic.hpp"
#include "mm/boot_memory.hpp"
#include "mm/kernel_space.hpp"

namespace kernel::mm {

namespace {

using arch::PageAccess;

// The trampoline's direct map covers this much; the allocator's bookkeeping
// and the new tables must lie below it until the switch.
constexpr PhysicalAddress kBootDirectMapLimit{4ull << 30};

constinit arch::SpinLock g_memory_lock;
constinit FrameAllocator g_frames;
constinit Heap g_heap;
// The CPU's paging features are known only at run time (set_features).
constinit arch::Mapper g_kernel_mapper(g_frames, arch::kLiveTables);

void init_frames(const boot::BootRecord& boot) {
    // The modules and the framebuffer are reserved by the boot memory map itself.
    const PhysicalRange reserved[] = {{PhysicalAddress(boot.kernel_image.base), boot.kernel_image.size},
                                      {PhysicalAddress(boot.boot_information.base), boot.boot_information.size}};
    FrameAllocatorLimits limits;
    limits.bookkeeping_end = kBootDirectMapLimit;
    const ErrorOr<void> result = init_frame_allocator(g_frames, boot, reserved, limits);
    if (result.is_error()) panic("cannot set up the frame allocator: %s", to_string(result.error()));
}

void unmap_and_free_locked(VirtualAddress start, uint64_t size) {
    for (VirtualAddress page = start; page < start + size; page += kPageSize) {
        const lib::Optional<arch::Mapping> mapping = g_kernel_mapper.translate(page);
        if (!mapping) continue;
        const ErrorOr<void> unmapped = g_kernel_mapper.unmap(page, kPageSize);
        if (unmapped.is_error())
            panic("cannot unmap %#llx: %s", (unsigned long long)page.value(), to_string(unmapped.error()));
        g_frames.free(mapping->physical);
    }
}

ErrorOr<void> map_fresh_pages_locked(VirtualAddress start, uint64_t size) {
    for (uint64_t offset = 0; offset < size; offset += kPageSize) {
        const lib::Optional<PhysicalAddress> frame = g_frames.allocate();
        ErrorOr<void> mapped = Error::OutOfFrames;
        if (frame) mapped = g_kernel_mapper.map(start + offset, *frame, kPageSize, PageAccess::ReadWrite);
        if (!mapped.is_error()) continue;
        if (frame) g_frames.free(*frame);
        unmap_and_free_locked(start, offset);
        return mapped.error();
    }
    return {};
}

// The heap grows through the same all-or-nothing mapping as kernel stacks,
// inside heap_allocate(), so with the lock already held.
bool grow_heap(void*, VirtualAddress end, uint64_t bytes) {
    return !map_fresh_pages_locked(end, bytes).is_error();
}

}  // namespace

void init_memory(const boot::BootRecord& boot) {
    init_frames(boot);

    g_kernel_mapper.set_features(arch::paging_features());
    const ErrorOr<void> root = g_kernel_mapper.init();
    if (root.is_error()) panic("cannot map the root table: %s", to_string(root.error()));
    map_kernel_space(boot);
    // Without a PAT (CPUs before the Pentium III) a WriteCombining window's
    // PWT bit means write-through: slower for a framebuffer, still correct.
    (void)arch::program_pat();
    arch::load_page_tables(g_kernel_mapper.root());

    g_heap.init(layout::kHeapBase, layout::kHeapMaxSize, grow_heap, nullptr);
}

void report_page_protection() {
    const arch::WalkStats stats = g_kernel_mapper.walk();
    if (!arch::no_execute_enabled()) {
        log::printf("NX not supported: data pages stay executable (W^X: %llu writable+executable pages)\n",
                    (unsigned long long)stats.writable_executable_pages);
        return;
    }
    if (stats.writable_executable_pages != 0)
        panic("W^X violated: %llu writable+executable pages", (unsigned long long)stats.writable_executable_pages);
    log::printf("W^X: 0 writable+executable pages (%llu MiB mapped, the direct map included)\n",
                (unsigned long long)(stats.mapped_pages * kPageSize >> 20));
}

arch::SpinLock& memory_lock() {
    return g_memory_lock;
}

void* heap_allocate(size_t size, size_t alignment) {
    arch::SpinLockGuard guard(g_memory_lock);
    return g_heap.allocate(size, alignment);
}

void heap_free(void* pointer) {
    arch::SpinLockGuard guard(g_memory_lock);
    g_heap.free(pointer);
}

void heap_free(void* pointer, size_t size) {
    arch::SpinLockGuard guard(g_memory_lock);
    g_heap.free(pointer, size);
}

ErrorOr<void> map_fresh_pages(VirtualAddress start, uint64_t size) {
    arch::SpinLockGuard guard(g_memory_lock);
    return map_fresh_pages_locked(start, size);
}

void unmap_and_free(VirtualAddress start, uint64_t size) {
    arch::SpinLockGuard guard(g_memory_lock);
    unmap_and_free_locked(start, size);
}

FrameAllocator& frame_allocator() {
    return g_frames;
}

Heap& kernel_heap() {
    return g_heap;
}

arch::Mapper& kernel_mapper() {
    return g_kernel_mapper;
}

}  // namespace kernel::mm
