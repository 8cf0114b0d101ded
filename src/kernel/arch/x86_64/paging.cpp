// Builds the kernel page tables from the linker's section symbols and the
// ranges main hands over, switches CR3 to them and checks W^X.
#include "arch/x86_64/paging.hpp"

#include "arch/x86_64/cpu.hpp"
#include "lib/log.hpp"
#include "lib/panic.hpp"

// Page-aligned section boundaries from linker.ld.
extern "C" char __kernel_start[], __text_start[], __rodata_start[], __data_start[], __kernel_end[];
// The page below the kernel stack (entry64.asm).
extern "C" char kernel_stack_guard[];

namespace kernel::arch {

namespace {

// Enough for the root, one PDPT, four PDs and the small-page tables of the
// kernel image, the boot information and a framebuffer's unaligned ends.
constexpr size_t kTablePoolSize = 32;
constinit PageTable g_table_pool[kTablePoolSize]{};

uint64_t address_of(const char* symbol) {
    return reinterpret_cast<uintptr_t>(symbol);
}

uint64_t page_floor(uint64_t address) {
    return address & ~(kPageSize - 1);
}

uint64_t page_ceil(uint64_t address) {
    return page_floor(address + kPageSize - 1);
}

void identity_map(PageTableBuilder& builder, uint64_t start, uint64_t end, PageAccess access, const char* what) {
    start = page_floor(start);
    end = page_ceil(end);
    const MapError error = builder.map(start, start, end - start, access);
    if (error != MapError::None)
        panic("cannot map %s [%#llx, %#llx): %s", what, (unsigned long long)start, (unsigned long long)end,
              to_string(error));
}

void map_range(PageTableBuilder& builder, PhysicalRange range, PageAccess access, const char* what) {
    if (range.size != 0) identity_map(builder, range.base, range.base + range.size, access, what);
}

// The image last, so its permissions win should anything overlap it.
void map_kernel_image(PageTableBuilder& builder) {
    identity_map(builder, address_of(__kernel_start), address_of(__text_start), PageAccess::ReadOnly, "headers");
    identity_map(builder, address_of(__text_start), address_of(__rodata_start), PageAccess::ReadExecute, ".text");
    identity_map(builder, address_of(__rodata_start), address_of(__data_start), PageAccess::ReadOnly, ".rodata");
    identity_map(builder, address_of(__data_start), address_of(__kernel_end), PageAccess::ReadWrite, ".data/.bss");
    // A stack overflow now faults here instead of overwriting .bss below it.
    if (builder.unmap(address_of(kernel_stack_guard), kPageSize) != MapError::None)
        panic("cannot unmap the kernel stack guard page");
}

void report_protection(bool no_execute) {
    const WalkStats stats = walk_kernel_page_tables();
    if (!no_execute) {
        log::printf("NX not supported: data pages stay executable (W^X: %llu writable+executable pages)\n",
                    (unsigned long long)stats.writable_executable_pages);
        return;
    }
    if (stats.writable_executable_pages != 0)
        panic("W^X violated: %llu writable+executable pages", (unsigned long long)stats.writable_executable_pages);
    log::printf("W^X: 0 writable+executable pages (%llu KiB mapped)\n",
                (unsigned long long)(stats.mapped_pages * kPageSize / 1024));
}

}  // namespace

bool no_execute_enabled() {
    return (read_msr(kMsrEfer) & kEferNxe) != 0;
}

void init_kernel_page_tables(PhysicalRange boot_info, PhysicalRange framebuffer) {
    const bool no_execute = no_execute_enabled();
    PageTableBuilder builder(g_table_pool, kTablePoolSize, no_execute);
    map_range(builder, boot_info, PageAccess::ReadOnly, "the boot information");
    map_range(builder, framebuffer, PageAccess::ReadWrite, "the framebuffer");
    map_kernel_image(builder);
    // Everything the kernel touches from here on is mapped: code, stack, the
    // console's screen and the boot information it still reads.
    write_cr3(builder.root());
    report_protection(no_execute);
}

WalkStats walk_kernel_page_tables() {
    return walk(reinterpret_cast<const PageTable*>(read_cr3() & kPteAddressMask), no_execute_enabled());
}

}  // namespace kernel::arch
