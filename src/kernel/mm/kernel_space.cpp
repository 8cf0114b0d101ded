// The image's sections at their link addresses, each with its own rights,
// and the direct map: RAM, the ACPI ranges and the loader's data
// (direct_map_plan.hpp).
#include "mm/kernel_space.hpp"

#include "addr/direct_map.hpp"
#include "addr/layout.hpp"
#include "boot/kernel_image.hpp"
#include "lib/panic.hpp"
#include "mm/direct_map_plan.hpp"
#include "mm/memory.hpp"

// Page-aligned section boundaries from linker.ld (virtual addresses).
extern "C" char __text_start[], __rodata_start[], __data_start[];
// The page below the boot kernel stack (entry64.asm).
extern "C" char kernel_stack_guard[];

namespace kernel::mm {

namespace {

using arch::PageAccess;

void check(ErrorOr<void> result, const char* what) {
    if (result.is_error()) panic("cannot map %s: %s", what, to_string(result.error()));
}

void map_image_part(PhysicalAddress image, const char* start, const char* end, PageAccess access, const char* what) {
    const VirtualAddress virtual_start = VirtualAddress::from_pointer(start);
    const uint64_t size = VirtualAddress::from_pointer(end) - virtual_start;
    check(kernel_mapper().map(virtual_start, image + boot::image_offset(start), size, access), what);
}

// W^X for the image (the trampoline's physical part is not needed again),
// and a stack overflow faults in the guard page instead of overwriting .bss.
void map_kernel_image(PhysicalAddress image) {
    map_image_part(image, __text_start, __rodata_start, PageAccess::ReadExecute, ".text");
    map_image_part(image, __rodata_start, __data_start, PageAccess::ReadOnly, ".rodata");
    map_image_part(image, __data_start, __kernel_end, PageAccess::ReadWrite, ".data/.bss");
    check(kernel_mapper().unmap(VirtualAddress::from_pointer(kernel_stack_guard), kPageSize), "the stack guard");
}

// Write-back and never executable; the plan has cut the range to whole
// pages below the direct map's limit.
void show_in_direct_map(PhysicalRange range) {
    check(kernel_mapper().map(to_virtual(range.base), range.base, range.size, PageAccess::ReadWrite), "the direct map");
}

}  // namespace

void map_kernel_space(const boot::BootRecord& boot) {
    map_kernel_image(PhysicalAddress(boot.kernel_image.base));
    for_each_direct_map_range(boot, show_in_direct_map);
}

}  // namespace kernel::mm
