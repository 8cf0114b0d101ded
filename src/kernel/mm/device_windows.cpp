// Windows are handed out upwards from layout::kDeviceWindowsBase, each
// starting at the same offset in a 1 GiB-aligned block as its physical range
// does, so the mapper can use the largest pages.
#include "mm/device_windows.hpp"

#include "addr/layout.hpp"
#include "mm/memory.hpp"

namespace kernel::mm {

namespace {

constexpr uint64_t kWindowAlignment = 1ull << 30;

constinit uint64_t g_device_cursor = layout::kDeviceWindowsBase.value();

}  // namespace

ErrorOr<VirtualAddress> map_device(PhysicalAddress physical, uint64_t size, arch::CacheMode cache,
                                   arch::PageAccess access) {
    if (size == 0) return Error::MapEmptyRange;
    arch::SpinLockGuard guard(memory_lock());
    const PhysicalAddress start = physical.page_floor();
    const uint64_t length = (physical + size).page_ceil() - start;
    const uint64_t window =
        ((g_device_cursor + kWindowAlignment - 1) & ~(kWindowAlignment - 1)) + (start.value() & (kWindowAlignment - 1));
    TRY(kernel_mapper().map(VirtualAddress(window), start, length, access, cache));
    g_device_cursor = window + length;
    return VirtualAddress(window + physical.page_offset());
}

void unmap_device(VirtualAddress address, uint64_t size) {
    arch::SpinLockGuard guard(memory_lock());
    const VirtualAddress start = address.page_floor();
    (void)kernel_mapper().unmap(start, (address + size).page_ceil() - start);
}

}  // namespace kernel::mm
