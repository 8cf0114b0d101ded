// What the direct map shows, decided from the boot record alone: the RAM and
// the ACPI ranges the memory map names, as Linux maps, plus the loader's data
// the kernel reads there (the boot information and the modules, which a
// loader may leave in memory the map calls reserved). Reserved ranges and
// device memory stay out: mapped write-back they would invite speculative
// reads, and a second memory type beside a device window's, which the
// manuals leave undefined. Devices are reached through their windows only
// (device_windows.hpp). Pure, so the host tests check it on crafted maps.
#pragma once

#include <stdint.h>

#include "addr/address.hpp"
#include "addr/layout.hpp"
#include "boot/boot_record.hpp"
#include "mm/boot_memory.hpp"

namespace kernel::mm {

// [base, +length) widened to whole pages and cut at the direct map's limit;
// size 0 when none of it lies below the limit. A partial page is shown whole,
// so every byte the map names is readable.
[[nodiscard]] constexpr PhysicalRange direct_map_pages(uint64_t base, uint64_t length) {
    const uint64_t limit = layout::kDirectMapLimit.value();
    if (length == 0 || base >= limit) return {};
    const uint64_t end = length > limit - base ? limit : base + length;
    const PhysicalAddress first = PhysicalAddress(base).page_floor();
    return {first, PhysicalAddress(end).page_ceil() - first};
}

namespace detail {

// Visits `range` less `hole` (in up to two pieces).
template <typename Visit>
void visit_outside(PhysicalRange range, PhysicalRange hole, Visit& visit) {
    const PhysicalAddress end = range.base + range.size;
    const PhysicalAddress hole_end = hole.base + hole.size;
    if (hole.size == 0 || hole_end <= range.base || end <= hole.base) {
        visit(range);
        return;
    }
    if (range.base < hole.base) visit(PhysicalRange{range.base, hole.base - range.base});
    if (hole_end < end) visit(PhysicalRange{hole_end, end - hole_end});
}

}  // namespace detail

// Calls visit(PhysicalRange) for every range the direct map shows: whole
// pages, never empty, below layout::kDirectMapLimit. Ranges may overlap (the
// boot information lies in RAM on most machines); mapping a page twice maps
// it once. The framebuffer is cut out of the map's regions even where the map
// calls it RAM: its window maps it write-combining. The boot information and
// the modules are always shown (the kernel reads them), and a framebuffer at
// address 0 cuts nothing: the kernel refuses it (OVMF with virtio-gpu hands
// one over, with GRUB's data in the pages it would cover).
template <typename Visit>
void for_each_direct_map_range(const boot::BootRecord& boot, Visit&& visit) {
    const bool has_framebuffer = boot.has_framebuffer && boot.framebuffer.address != 0;
    const PhysicalRange framebuffer =
        has_framebuffer ? direct_map_pages(boot.framebuffer.address, boot.framebuffer.size()) : PhysicalRange{};
    for (size_t i = 0; boot.has_memory_map && i < boot.memory_map.count(); ++i) {
        const boot::MemoryRegion region = boot.memory_map.region(i);
        if (!region.usable && !region.acpi) continue;
        const PhysicalRange pages = direct_map_pages(region.base, region.length);
        if (pages.size != 0) detail::visit_outside(pages, framebuffer, visit);
    }
    const auto show = [&](uint64_t base, uint64_t length) {
        const PhysicalRange pages = direct_map_pages(base, length);
        if (pages.size != 0) visit(pages);
    };
    show(boot.boot_information.base, boot.boot_information.size);
    for (size_t i = 0; i < module_range_count(boot); ++i) {
        const PhysicalRange module = module_range(boot, i);
        show(module.base.value(), module.size);
    }
}

}  // namespace kernel::mm
