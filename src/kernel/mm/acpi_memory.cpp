// Checks each page of a range in the live tables before handing it out, and
// opens a window for a range the direct map does not show.
#include "mm/acpi_memory.hpp"

#include "addr/direct_map.hpp"
#include "addr/layout.hpp"
#include "mm/device_windows.hpp"
#include "mm/memory.hpp"

namespace kernel::mm {

namespace {

enum class Shown { All, Some, None };

// How much of the page-aligned `pages` the live direct map shows.
Shown shown_by_direct_map(PhysicalRange pages) {
    uint64_t shown = 0;
    for (PhysicalAddress page = pages.base; page < pages.base + pages.size; page += kPageSize)
        if (page < layout::kDirectMapLimit && kernel_mapper().translate(to_virtual(page))) shown += kPageSize;
    return shown == pages.size ? Shown::All : shown == 0 ? Shown::None : Shown::Some;
}

// The windows opened so far, kept for good: the parser holds on to what it
// viewed. It views a table's header, then the whole table, then the next
// table, mostly in pages an earlier window already shows; past
// kKeptWindows, windows are still opened but no longer looked up.
struct Window {
    PhysicalRange pages;
    VirtualAddress start;
};
constexpr size_t kKeptWindows = 16;
constinit Window g_windows[kKeptWindows] = {};
constinit size_t g_window_count = 0;

const uint8_t* window_onto(PhysicalRange pages, uint64_t physical_address) {
    for (size_t i = 0; i < g_window_count; ++i) {
        const Window& window = g_windows[i];
        if (window.pages.base <= pages.base && pages.base + pages.size <= window.pages.base + window.pages.size)
            return (window.start + (physical_address - window.pages.base.value())).as_pointer<const uint8_t>();
    }
    const ErrorOr<VirtualAddress> start =
        map_device(pages.base, pages.size, arch::CacheMode::WriteBack, arch::PageAccess::ReadOnly);
    if (start.is_error()) return nullptr;
    if (g_window_count < kKeptWindows) g_windows[g_window_count++] = {pages, *start};
    return (*start + (physical_address - pages.base.value())).as_pointer<const uint8_t>();
}

}  // namespace

const uint8_t* AcpiPhysicalMemory::view(uint64_t physical_address, uint64_t length) const {
    if (length == 0 || physical_address >= arch::kMaxPhysicalAddress ||
        length > arch::kMaxPhysicalAddress - physical_address)
        return nullptr;
    const PhysicalAddress first = PhysicalAddress(physical_address).page_floor();
    const PhysicalRange pages{first, PhysicalAddress(physical_address + length).page_ceil() - first};
    switch (shown_by_direct_map(pages)) {
    case Shown::All: return to_pointer<const uint8_t>(PhysicalAddress(physical_address));
    case Shown::None: return window_onto(pages, physical_address);
    case Shown::Some: return nullptr;
    }
    return nullptr;
}

}  // namespace kernel::mm
