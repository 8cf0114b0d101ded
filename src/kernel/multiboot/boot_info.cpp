// Validation of the loader's hand-over before the kernel trusts any of it.
#include "multiboot/boot_info.hpp"

#include "boot/kernel_image.hpp"
#include "config.hpp"
#include "lib/panic.hpp"
#include "multiboot/boot_record.hpp"
#include "multiboot/multiboot2.hpp"

namespace kernel::multiboot {

static_assert(kBootMagic == MB2_BOOTLOADER_MAGIC, "one Multiboot2 magic for asm and C++");

uint32_t boot_info_size(uintptr_t address) {
    const uint32_t total_size = reinterpret_cast<const InfoHeader*>(address)->total_size;
    return total_size < kMaxBootInfoSize ? total_size : kMaxBootInfoSize;
}

boot::BootRecord read_boot_record(const boot::BootHandoff& handoff, uintptr_t address) {
    const uint32_t magic = handoff.multiboot_magic;
    if (magic != kBootMagic) panic("boot magic %#x is not Multiboot2 (%#x)", magic, kBootMagic);
    if (address == 0 || address % kInfoAlignment != 0)
        panic("Multiboot2 boot information at %p is null or misaligned", reinterpret_cast<void*>(address));
    const uint32_t size = boot_info_size(address);
    const ErrorOr<BootInfo> info = parse_boot_info(reinterpret_cast<const void*>(address), size);
    if (info.is_error()) panic("malformed Multiboot2 boot information: %s", to_string(info.error()));
    const boot::PhysicalRange image{handoff.kernel_physical_base, boot::image_size()};
    return to_boot_record(*info, image, {handoff.multiboot_info, size});
}

}  // namespace kernel::multiboot
