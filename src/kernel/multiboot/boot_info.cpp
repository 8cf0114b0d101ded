// Validation of the loader's hand-over before the kernel trusts any of it.
#include "multiboot/boot_info.hpp"

#include "lib/panic.hpp"

namespace kernel::multiboot {

uint32_t boot_info_size(uintptr_t address) {
    const uint32_t total_size = reinterpret_cast<const InfoHeader*>(address)->total_size;
    return total_size < kMaxBootInfoSize ? total_size : kMaxBootInfoSize;
}

BootInfo validated_boot_info(uint32_t magic, uintptr_t address) {
    if (magic != kBootMagic) panic("boot magic %#x is not Multiboot2 (%#x)", magic, kBootMagic);
    if (address == 0 || address % kInfoAlignment != 0)
        panic("Multiboot2 boot information at %p is null or misaligned", reinterpret_cast<void*>(address));
    const ParseResult result = parse_boot_info(reinterpret_cast<const void*>(address), boot_info_size(address));
    if (result.error != ParseError::None) panic("malformed Multiboot2 boot information: %s", to_string(result.error));
    return result.info;
}

}  // namespace kernel::multiboot
