// In-kernel tests of the direct map in the live tables: it shows exactly the
// RAM and ACPI ranges the boot record names (with the loader's data), and no
// page a device window shows is in it too, so no page has two memory types.
#include "addr/direct_map.hpp"
#include "addr/layout.hpp"
#include "arch/x86_64/page_levels.hpp"
#include "boot/boot_handoff.hpp"
#include "lib/log.hpp"
#include "mm/memory.hpp"
#include "multiboot/boot_info.hpp"
#include "testing/ktest.hpp"

using namespace kernel;
using mm::kPageSize;
using mm::PhysicalAddress;

namespace {

namespace levels = arch::levels;

// The boot record again, read as kernel_main read it.
boot::BootRecord read_boot_record() {
    const PhysicalAddress boot_information(boot_handoff.multiboot_info);
    return multiboot::read_boot_record(boot_handoff, mm::to_virtual(boot_information).value());
}

// Whether the 4 KiB page at `page` shares a byte with [base, +length).
bool touches(uint64_t page, uint64_t base, uint64_t length) {
    if (length == 0) return false;
    return page >= base ? page - base < length : base - page < kPageSize;
}

// Whether the direct map must show the page at `page`, read from the boot
// record here rather than through direct_map_plan.hpp, which this checks:
// RAM, an ACPI range, the boot information or a module, never the screen.
bool must_show(const boot::BootRecord& boot, uint64_t page) {
    if (page >= mm::layout::kDirectMapLimit.value()) return false;
    if (boot.has_framebuffer && touches(page, boot.framebuffer.address, boot.framebuffer.size())) return false;
    for (size_t i = 0; boot.has_memory_map && i < boot.memory_map.count(); ++i) {
        const boot::MemoryRegion region = boot.memory_map.region(i);
        if ((region.usable || region.acpi) && touches(page, region.base, region.length)) return true;
    }
    if (touches(page, boot.boot_information.base, boot.boot_information.size)) return true;
    for (size_t i = 0; i < boot.module_count && i < boot::kMaxModules; ++i)
        if (touches(page, boot.modules[i].memory.base, boot.modules[i].memory.size)) return true;
    return touches(page, boot.unkept_modules.base, boot.unkept_modules.size);
}

bool in_direct_map(uint64_t page) {
    const PhysicalAddress physical(page);
    return physical < mm::layout::kDirectMapLimit && mm::kernel_mapper().translate(mm::to_virtual(physical));
}

// One page-table entry that maps a page (of any size).
struct Leaf {
    uint64_t virtual_address;
    uint64_t physical;
    uint64_t size;
    arch::CacheMode cache;
};

template <typename Visit>
void walk_leaves(const arch::PageTable& table, unsigned level, uint64_t base, Visit& visit) {
    for (size_t i = 0; i < arch::kPageTableEntries; ++i) {
        const uint64_t entry = table.entries[i];
        if (!levels::is_present(entry)) continue;
        const uint64_t address = base + i * levels::entry_span(level);
        if (levels::is_leaf(entry, level))
            visit(Leaf{address, levels::leaf_address(entry, level), levels::entry_span(level),
                       levels::cache_mode(entry, level)});
        else
            walk_leaves(levels::table_of(entry), level - 1, address, visit);
    }
}

// Every leaf of the live tables in one region of layout.hpp (each starts on a
// root-table slot and spans whole slots).
template <typename Visit>
void for_each_leaf(mm::VirtualAddress start, uint64_t size, Visit visit) {
    const arch::PageTable& root = levels::table_at(mm::kernel_mapper().root());
    const uint64_t slot_span = levels::entry_span(levels::kRoot);
    const size_t first_slot = levels::index_at(start.value(), levels::kRoot);
    for (size_t slot = first_slot; slot < first_slot + size / slot_span; ++slot) {
        const uint64_t entry = root.entries[slot];
        if (levels::is_present(entry))
            walk_leaves(levels::table_of(entry), levels::kRoot - 1, start.value() + (slot - first_slot) * slot_span,
                        visit);
    }
}

}  // namespace

// Both ways: every page the direct map shows must be shown, and every page
// that must be shown is, at its own address in the map, write-back.
KTEST(direct_map_shows_ram_and_acpi_ranges_only) {
    const boot::BootRecord boot = read_boot_record();
    uint64_t shown = 0, not_wanted = 0, misplaced = 0;
    for_each_leaf(mm::layout::kDirectMapBase, mm::layout::kDirectMapSize, [&](const Leaf& leaf) {
        if (leaf.physical != leaf.virtual_address - mm::layout::kDirectMapBase.value() ||
            leaf.cache != arch::CacheMode::WriteBack)
            ++misplaced;
        for (uint64_t page = leaf.physical; page < leaf.physical + leaf.size; page += kPageSize)
            if (!must_show(boot, page)) ++not_wanted;
        shown += leaf.size / kPageSize;
    });
    KEXPECT_EQ(misplaced, 0u);
    KEXPECT_EQ(not_wanted, 0u);

    uint64_t wanted = 0, missing = 0;
    for (size_t i = 0; boot.has_memory_map && i < boot.memory_map.count(); ++i) {
        const boot::MemoryRegion region = boot.memory_map.region(i);
        if ((!region.usable && !region.acpi) || region.base >= mm::layout::kDirectMapLimit.value()) continue;
        const uint64_t limit = mm::layout::kDirectMapLimit.value();
        const uint64_t end = region.length > limit - region.base ? limit : region.base + region.length;
        for (uint64_t page = region.base & ~(kPageSize - 1); page < end; page += kPageSize) {
            if (!must_show(boot, page)) continue;
            ++wanted;
            if (!in_direct_map(page)) ++missing;
        }
    }
    KEXPECT(wanted > 0);
    KEXPECT_EQ(missing, 0u);
    KEXPECT(in_direct_map(boot.boot_information.base));
    for (size_t i = 0; i < boot.module_count && i < boot::kMaxModules; ++i)
        KEXPECT(in_direct_map(boot.modules[i].memory.base));
    log::printf("# the direct map shows %llu MiB\n", (unsigned long long)(shown * kPageSize >> 20));
}

// The screen and every other window (local APIC, I/O APICs, HPET, ACPI tables
// kept in reserved memory) are reached through their windows alone.
KTEST(no_page_is_in_a_device_window_and_the_direct_map) {
    const boot::BootRecord boot = read_boot_record();
    uint64_t screen_pages_shown = 0;
    if (boot.has_framebuffer) {
        const uint64_t screen = boot.framebuffer.address & ~(kPageSize - 1);
        for (uint64_t page = screen; page < boot.framebuffer.address + boot.framebuffer.size(); page += kPageSize)
            if (in_direct_map(page)) ++screen_pages_shown;
    }
    KEXPECT_EQ(screen_pages_shown, 0u);

    uint64_t window_pages = 0, also_in_direct_map = 0;
    for_each_leaf(mm::layout::kDeviceWindowsBase, mm::layout::kDeviceWindowsSize, [&](const Leaf& leaf) {
        for (uint64_t page = leaf.physical; page < leaf.physical + leaf.size; page += kPageSize) {
            ++window_pages;
            if (in_direct_map(page)) ++also_in_direct_map;
        }
    });
    KEXPECT(window_pages > 0);
    KEXPECT_EQ(also_in_direct_map, 0u);
    log::printf("# %llu pages in device windows, none in the direct map\n", (unsigned long long)window_pages);
}
