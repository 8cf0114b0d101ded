// In-kernel tests of the Multiboot2 parser on the boot information GRUB
// really passed to this boot, and a dump of it for host tests to replay.
#include "addr/direct_map.hpp"
#include "boot/boot_handoff.hpp"
#include "lib/log.hpp"
#include "multiboot/boot_info.hpp"
#include "multiboot/multiboot2.hpp"
#include "testing/ktest.hpp"

namespace {

using namespace kernel;

// Where the trampoline's hand-off record says the loader put it, through the direct map.
uintptr_t boot_info_address() {
    return mm::to_virtual(mm::PhysicalAddress(boot_handoff.multiboot_info)).value();
}

const uint8_t* boot_info_bytes() {
    return reinterpret_cast<const uint8_t*>(boot_info_address());
}

uint32_t boot_info_size() {
    return multiboot::boot_info_size(boot_info_address());
}

}  // namespace

KTEST(boot_info_from_grub_parses) {
    KEXPECT_EQ(boot_handoff.multiboot_magic, multiboot::kBootMagic);
    const ErrorOr<multiboot::BootInfo> result = multiboot::parse_boot_info(boot_info_bytes(), boot_info_size());
    KEXPECT(!result.is_error());
    if (result.is_error()) return;
    const multiboot::BootInfo& info = *result;
    KEXPECT(info.has_loader_name);
    KEXPECT(info.loader_name.length >= 4 && info.loader_name.data[0] == 'G' &&
            info.loader_name.data[3] == 'B');  // "GRUB ..."
    KEXPECT(info.has_memory_map);
    KEXPECT(info.usable_memory_bytes > (16u << 20));
    KEXPECT(info.has_framebuffer);
}

// Prints the boot information as hex lines "mbi: <offset> <bytes>" for
// `tools/run.py capture-mbi`, which turns them into tests/data/mbi-*.bin.
KTEST_ISOLATED(dump_boot_info) {
    const uint8_t* bytes = boot_info_bytes();
    const uint32_t size = boot_info_size();
    constexpr uint32_t kBytesPerLine = 32;
    for (uint32_t offset = 0; offset < size; offset += kBytesPerLine) {
        log::printf("mbi: %06x ", offset);
        for (uint32_t i = offset; i < offset + kBytesPerLine && i < size; ++i) log::printf("%02x", bytes[i]);
        log::print("\n");
    }
}

// A corrupted copy of the real boot information must stop the kernel with
// the reason, never be half-trusted.
KTEST_EXPECT_PANIC(malformed_boot_info_panics_with_reason, "PANIC: malformed Multiboot2 boot information: ") {
    alignas(8) static uint8_t copy[4096];
    const uint32_t size = boot_info_size() < sizeof copy ? boot_info_size() : sizeof copy;
    for (uint32_t i = 0; i < size; ++i) copy[i] = boot_info_bytes()[i];
    reinterpret_cast<multiboot::InfoHeader*>(copy)->total_size = size;
    reinterpret_cast<multiboot::TagHeader*>(copy + sizeof(multiboot::InfoHeader))->size =
        0xFFFFFF00;  // first tag overruns
    (void)multiboot::read_boot_record(boot_handoff, reinterpret_cast<uintptr_t>(copy));
}

KTEST_EXPECT_PANIC(wrong_magic_in_kernel_main_panics, "PANIC: boot magic 0x2badb002 is not Multiboot2") {
    boot::BootHandoff handoff = boot_handoff;
    handoff.multiboot_magic = 0x2BADB002;
    (void)multiboot::read_boot_record(handoff, boot_info_address());
}
