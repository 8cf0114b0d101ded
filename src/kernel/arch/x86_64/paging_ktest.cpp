// In-kernel tests of the live page tables: W^X holds, and the pages that must
// fault (address 0, the stack guard) are not mapped.
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/paging.hpp"
#include "testing/ktest.hpp"

extern "C" char __text_start[], __rodata_start[], __data_start[];
extern "C" char kernel_stack_guard[];

using namespace kernel::arch;

namespace {

Translation translate_kernel_address(uint64_t virtual_address) {
    return translate(reinterpret_cast<const PageTable*>(read_cr3() & kPteAddressMask), virtual_address,
                     no_execute_enabled());
}

}  // namespace

KTEST(page_tables_have_no_writable_executable_page) {
    const WalkStats stats = walk_kernel_page_tables();
    KEXPECT(stats.mapped_pages > 0);
    // Without NX nothing can be made non-executable; W^X is then moot.
    if (no_execute_enabled()) KEXPECT_EQ(stats.writable_executable_pages, 0u);
}

KTEST(kernel_sections_have_their_permissions) {
    const bool nx = no_execute_enabled();
    const Translation text = translate_kernel_address(reinterpret_cast<uintptr_t>(__text_start));
    KEXPECT(text.present && text.executable && !text.writable);
    const Translation rodata = translate_kernel_address(reinterpret_cast<uintptr_t>(__rodata_start));
    KEXPECT(rodata.present && !rodata.writable);
    KEXPECT_EQ(rodata.executable, !nx);
    const Translation data = translate_kernel_address(reinterpret_cast<uintptr_t>(__data_start));
    KEXPECT(data.present && data.writable);
    KEXPECT_EQ(data.executable, !nx);
}

KTEST(null_page_and_stack_guard_are_unmapped) {
    KEXPECT(!translate_kernel_address(0).present);
    KEXPECT(!translate_kernel_address(reinterpret_cast<uintptr_t>(kernel_stack_guard)).present);
    // The stack itself, right above the guard, is there.
    KEXPECT(translate_kernel_address(reinterpret_cast<uintptr_t>(kernel_stack_guard) + kPageSize).present);
}
