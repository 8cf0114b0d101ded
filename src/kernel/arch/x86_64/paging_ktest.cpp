// In-kernel tests of the live page tables: W^X holds, the image sits where it
// was linked with its permissions, and what must fault (the whole lower half
// with page 0, the stack guards) is not mapped.
#include "addr/direct_map.hpp"
#include "addr/layout.hpp"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/paging.hpp"
#include "boot/boot_handoff.hpp"
#include "mm/memory.hpp"
#include "testing/ktest.hpp"

extern "C" char __text_start[], __rodata_start[], __data_start[];
extern "C" char kernel_stack_guard[];

using namespace kernel;
using namespace kernel::arch;
using kernel::mm::kernel_mapper;

namespace {

lib::Optional<Mapping> translate_address(const void* address) {
    return kernel_mapper().translate(mm::VirtualAddress::from_pointer(address));
}

bool mapped(uint64_t address) {
    return kernel_mapper().translate(mm::VirtualAddress(address)).has_value();
}

}  // namespace

KTEST(page_tables_have_no_writable_executable_page) {
    const WalkStats stats = kernel_mapper().walk();
    KEXPECT(stats.mapped_pages > 0);
    // Without NX nothing can be made non-executable; W^X is then moot.
    if (no_execute_enabled()) KEXPECT_EQ(stats.writable_executable_pages, 0u);
}

KTEST(cr3_holds_the_kernel_tables) {
    KEXPECT_EQ(read_cr3() & kPteAddressMask, kernel_mapper().root().value());
}

KTEST(kernel_sections_have_their_permissions) {
    const bool nx = no_execute_enabled();
    const auto text = translate_address(__text_start);
    KEXPECT(text && text->executable && !text->writable);
    const auto rodata = translate_address(__rodata_start);
    KEXPECT(rodata && !rodata->writable);
    KEXPECT_EQ(rodata && rodata->executable, !nx);
    const auto data = translate_address(__data_start);
    KEXPECT(data && data->writable);
    KEXPECT_EQ(data && data->executable, !nx);
}

KTEST(image_lies_where_the_loader_put_it) {
    const auto text = translate_address(__text_start);
    const uint64_t link_offset =
        reinterpret_cast<uintptr_t>(__text_start) - KERNEL_VIRTUAL_OFFSET - KERNEL_LINK_PHYSICAL;
    KEXPECT(text && text->physical.value() == boot_handoff.kernel_physical_base + link_offset);
}

// Page 0, and with it everything below the direct map: the trampoline's
// identity map is gone.
KTEST(lower_half_is_unmapped) {
    const auto* pml4 = mm::to_pointer<const PageTable>(kernel_mapper().root());
    unsigned used = 0;
    for (unsigned i = 0; i < kPageTableEntries / 2; ++i) used += pml4->entries[i] != 0;
    KEXPECT_EQ(used, 0u);
    KEXPECT(!mapped(0));
    KEXPECT(!mapped(KERNEL_LINK_PHYSICAL));
}

KTEST(stack_guard_pages_are_unmapped) {
    KEXPECT(!mapped(reinterpret_cast<uintptr_t>(kernel_stack_guard)));
    KEXPECT(mapped(reinterpret_cast<uintptr_t>(kernel_stack_guard) + kPageSize));
    // The IST stacks moved to kernel-stack slots 0-2, each above a guard.
    for (uint64_t slot = 0; slot < 3; ++slot) {
        KEXPECT(!mapped(mm::layout::kernel_stack_bottom(slot).value() - kPageSize));
        KEXPECT(mapped(mm::layout::kernel_stack_bottom(slot).value()));
    }
}

KTEST(direct_map_reaches_the_boot_information) {
    const mm::PhysicalAddress boot_info(boot_handoff.multiboot_info);
    const auto mapping = kernel_mapper().translate(mm::to_virtual(boot_info));
    KEXPECT(mapping && mapping->physical == boot_info && !mapping->executable == no_execute_enabled());
}
