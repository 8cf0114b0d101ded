// Sets up the kernel's memory: frame allocator, page tables, PAT, guarded IST
// stacks and the heap, in the order each needs the one before.
#include "arch/x86_64/paging.hpp"

#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/gdt.hpp"
#include "lib/log.hpp"
#include "lib/panic.hpp"
#include "mm/boot_memory.hpp"
#include "mm/direct_map.hpp"
#include "mm/layout.hpp"
#include "multiboot/boot_info.hpp"

// Page-aligned section boundaries from linker.ld (virtual addresses).
extern "C" char __text_start[], __rodata_start[], __data_start[], __kernel_end[];
// The page below the boot kernel stack (entry64.asm).
extern "C" char kernel_stack_guard[];

namespace kernel::arch {

namespace {

using mm::PhysicalAddress;
using mm::PhysicalRange;
using mm::VirtualAddress;

constexpr uint32_t kCpuidFeatures = 1;
constexpr uint32_t kCpuidEdxPat = 1u << 16;
constexpr uint32_t kCpuidExtendedEdxGigabytePages = 1u << 26;
// The trampoline's direct map covers this much; the allocator's bookkeeping
// and the new tables must lie below it until the switch.
constexpr PhysicalAddress kBootDirectMapLimit{4ull << 30};
constexpr uint64_t kWindowAlignment = 1ull << 30;  // lets a window use the largest pages

constinit mm::FrameAllocator g_frames;
constinit mm::Heap g_heap;
constinit uint64_t g_device_cursor = mm::layout::kDeviceWindowsBase.value();
constinit uint64_t g_next_stack_slot = 0;

void invalidate_page(void*, VirtualAddress page, uint64_t) {
    asm volatile("invlpg (%0)" : : "r"(page.value()) : "memory");
}

PagingFeatures paging_features() {
    return {no_execute_enabled(), (cpuid(kCpuidExtendedFeatures).edx & kCpuidExtendedEdxGigabytePages) != 0};
}

// The image's physical address for one of its (higher-half) virtual ones.
PhysicalAddress image_physical(const BootHandoff& handoff, const char* symbol) {
    const uint64_t link_physical = reinterpret_cast<uintptr_t>(symbol) - KERNEL_VIRTUAL_OFFSET;
    return PhysicalAddress(handoff.kernel_physical_base + (link_physical - KERNEL_LINK_PHYSICAL));
}

void check(MapperError error, const char* what) {
    if (error != MapperError::None) panic("cannot map %s: %s", what, to_string(error));
}

void map_image_part(const BootHandoff& handoff, const char* start, const char* end, PageAccess access,
                    const char* what) {
    const VirtualAddress virtual_start = VirtualAddress::from_pointer(start);
    const uint64_t size = VirtualAddress::from_pointer(end) - virtual_start;
    check(kernel_mapper().map(virtual_start, image_physical(handoff, start), size, access), what);
}

// W^X for the image (the trampoline's physical part is not needed again),
// and a stack overflow faults in the guard page instead of overwriting .bss.
void map_kernel_image(const BootHandoff& handoff) {
    map_image_part(handoff, __text_start, __rodata_start, PageAccess::ReadExecute, ".text");
    map_image_part(handoff, __rodata_start, __data_start, PageAccess::ReadOnly, ".rodata");
    map_image_part(handoff, __data_start, __kernel_end, PageAccess::ReadWrite, ".data/.bss");
    check(kernel_mapper().unmap(VirtualAddress::from_pointer(kernel_stack_guard), kPageSize), "the stack guard");
}

void direct_map(PhysicalAddress base, uint64_t length) {
    const uint64_t limit = mm::layout::kDirectMapLimit.value();
    if (length == 0 || base.value() >= limit) return;
    const uint64_t end = length > limit - base.value() ? limit : base.value() + length;
    const PhysicalAddress start = base.page_floor();
    const uint64_t size = PhysicalAddress(end).page_ceil() - start;
    check(kernel_mapper().map(mm::to_virtual(start), start, size, PageAccess::ReadWrite), "the direct map");
}

// Everything the memory map names (usable, reserved, ACPI, above 4 GiB),
// plus the boot information and modules in case the map leaves them out.
void map_physical_memory(const multiboot::BootInfo& info, PhysicalRange boot_info) {
    for (size_t i = 0; info.has_memory_map && i < info.memory_map.count(); ++i) {
        const multiboot::MemoryRegion region = info.memory_map.region(i);
        direct_map(PhysicalAddress(region.base), region.length);
    }
    direct_map(boot_info.base, boot_info.size);
    for (size_t i = 0; i < mm::module_range_count(info); ++i) {
        const PhysicalRange module = mm::module_range(info, i);
        direct_map(module.base, module.size);
    }
}

void init_frame_allocator(const BootHandoff& handoff, const multiboot::BootInfo& info, PhysicalRange boot_info,
                          uint64_t kernel_bytes) {
    // The modules and the framebuffer are reserved by the boot memory map itself.
    const PhysicalRange reserved[] = {{PhysicalAddress(handoff.kernel_physical_base), kernel_bytes}, boot_info};
    mm::FrameAllocatorLimits limits;
    limits.bookkeeping_end = kBootDirectMapLimit;
    const mm::FrameAllocatorError error = mm::init_frame_allocator(g_frames, info, reserved, limits);
    if (error != mm::FrameAllocatorError::None) panic("cannot set up the frame allocator: %s", mm::to_string(error));
}

// The PAT as page_entry.hpp documents it, so CacheMode::WriteCombining is WC.
bool program_pat() {
    if ((cpuid(kCpuidFeatures).edx & kCpuidEdxPat) == 0) return false;
    write_msr(kMsrPat, pat_msr_value());
    return true;
}

// A stack in the next kernel-stack slot, above its never-mapped guard page.
uint64_t allocate_kernel_stack() {
    const VirtualAddress bottom = mm::layout::kernel_stack_bottom(g_next_stack_slot);
    const VirtualAddress top = mm::layout::kernel_stack_top(g_next_stack_slot++);
    for (VirtualAddress page = bottom; page < top; page += kPageSize) {
        const lib::Optional<PhysicalAddress> frame = g_frames.allocate();
        if (!frame) panic("out of memory for a kernel stack");
        check(kernel_mapper().map(page, *frame, kPageSize, PageAccess::ReadWrite), "a kernel stack");
    }
    return top.value();
}

// Gives back the frames behind [start, +size) and unmaps it.
void release_heap_pages(VirtualAddress start, uint64_t size) {
    for (VirtualAddress page = start; page < start + size; page += kPageSize) {
        const lib::Optional<Mapping> mapping = kernel_mapper().translate(page);
        if (!mapping) continue;
        check(kernel_mapper().unmap(page, kPageSize), "a heap page back");
        g_frames.free(mapping->physical);
    }
}

// Maps fresh frames behind [end, +bytes). All or nothing: a failure part-way
// gives back what it took, since the heap will not count the range as its own.
bool grow_heap(void*, VirtualAddress end, uint64_t bytes) {
    for (uint64_t offset = 0; offset < bytes; offset += kPageSize) {
        const lib::Optional<PhysicalAddress> frame = g_frames.allocate();
        if (frame && kernel_mapper().map(end + offset, *frame, kPageSize, PageAccess::ReadWrite) == MapperError::None)
            continue;
        if (frame) g_frames.free(*frame);
        release_heap_pages(end, offset);
        return false;
    }
    return true;
}

}  // namespace

void report_page_protection() {
    const WalkStats stats = kernel_mapper().walk();
    if (!no_execute_enabled()) {
        log::printf("NX not supported: data pages stay executable (W^X: %llu writable+executable pages)\n",
                    (unsigned long long)stats.writable_executable_pages);
        return;
    }
    if (stats.writable_executable_pages != 0)
        panic("W^X violated: %llu writable+executable pages", (unsigned long long)stats.writable_executable_pages);
    log::printf("W^X: 0 writable+executable pages (%llu MiB mapped, the direct map included)\n",
                (unsigned long long)(stats.mapped_pages * kPageSize >> 20));
}

bool no_execute_enabled() {
    return (read_msr(kMsrEfer) & kEferNxe) != 0;
}

Mapper& kernel_mapper() {
    static Mapper mapper(g_frames, {invalidate_page, nullptr}, paging_features());
    return mapper;
}

mm::FrameAllocator& frame_allocator() {
    return g_frames;
}

mm::Heap& kernel_heap() {
    return g_heap;
}

MemorySummary init_memory(const BootHandoff& handoff, const multiboot::BootInfo& info) {
    const PhysicalRange boot_info{
        PhysicalAddress(handoff.multiboot_info),
        multiboot::boot_info_size(mm::to_virtual(PhysicalAddress(handoff.multiboot_info)).value())};
    const uint64_t kernel_bytes = image_physical(handoff, __kernel_end) - PhysicalAddress(handoff.kernel_physical_base);
    init_frame_allocator(handoff, info, boot_info, kernel_bytes);

    Mapper& mapper = kernel_mapper();
    check(mapper.init(), "the root table");
    map_kernel_image(handoff);
    map_physical_memory(info, boot_info);
    const bool write_combining = program_pat();
    write_cr3(mapper.root().value());

    constexpr IstSlot kIstSlots[] = {IstSlot::DoubleFault, IstSlot::Nmi, IstSlot::MachineCheck};
    for (const IstSlot slot : kIstSlots) set_ist_stack(slot, allocate_kernel_stack());
    g_heap.init(mm::layout::kHeapBase, mm::layout::kHeapMaxSize, grow_heap, nullptr);
    return {PhysicalAddress(handoff.kernel_physical_base),
            kernel_bytes,
            g_frames.free_frames() * kPageSize,
            mapper.table_count(),
            paging_features().gigabyte_pages,
            write_combining};
}

lib::Optional<VirtualAddress> map_device(PhysicalAddress physical, uint64_t size, CacheMode cache) {
    if (size == 0) return {};
    const PhysicalAddress start = physical.page_floor();
    const uint64_t length = (physical + size).page_ceil() - start;
    const uint64_t window =
        ((g_device_cursor + kWindowAlignment - 1) & ~(kWindowAlignment - 1)) + (start.value() & (kWindowAlignment - 1));
    if (kernel_mapper().map(VirtualAddress(window), start, length, PageAccess::ReadWrite, cache) != MapperError::None)
        return {};
    g_device_cursor = window + length;
    return VirtualAddress(window + physical.page_offset());
}

void unmap_device(VirtualAddress address, uint64_t size) {
    const VirtualAddress start = address.page_floor();
    (void)kernel_mapper().unmap(start, (address + size).page_ceil() - start);
}

}  // namespace kernel::arch
