// In-kernel tests of the Multiboot2 parser on the boot information GRUB
// really passed to this boot, and a dump of it for host tests to replay.
#include "boot/boot_info.hpp"
#include "boot/multiboot2.hpp"
#include "console/console.hpp"
#include "testing/harness.hpp"
#include "testing/ktest.hpp"

// Saved by the trampoline (src/boot/trampoline.asm) before anything else ran.
extern "C" uint32_t multiboot_magic;
extern "C" uint32_t multiboot_info;

namespace {

using namespace kernel;

const uint8_t* boot_info_bytes() {
    return reinterpret_cast<const uint8_t*>(uintptr_t{multiboot_info});
}

uint32_t boot_info_size() {
    return boot::boot_info_size(uintptr_t{multiboot_info});
}

}  // namespace

KTEST(boot_info_from_grub_parses) {
    KEXPECT_EQ(multiboot_magic, boot::kBootMagic);
    const boot::ParseResult result = boot::parse_boot_info(boot_info_bytes(), boot_info_size());
    KEXPECT_EQ(static_cast<int>(result.error), static_cast<int>(boot::ParseError::None));
    KEXPECT(result.info.has_loader_name);
    KEXPECT(result.info.loader_name.length >= 4 && result.info.loader_name.data[0] == 'G' &&
            result.info.loader_name.data[3] == 'B');  // "GRUB ..."
    KEXPECT(result.info.has_memory_map);
    KEXPECT(result.info.usable_memory_bytes > (16u << 20));
    KEXPECT(result.info.has_framebuffer);
}

// Prints the boot information as hex lines "mbi: <offset> <bytes>" for
// `tools/run.py capture-mbi`, which turns them into tests/data/mbi-*.bin.
KTEST_ISOLATED(dump_boot_info) {
    const uint8_t* bytes = boot_info_bytes();
    const uint32_t size = boot_info_size();
    constexpr uint32_t kBytesPerLine = 32;
    for (uint32_t offset = 0; offset < size; offset += kBytesPerLine) {
        console::printf("mbi: %06x ", offset);
        for (uint32_t i = offset; i < offset + kBytesPerLine && i < size; ++i) console::printf("%02x", bytes[i]);
        console::print("\n");
    }
}

// A corrupted copy of the real boot information must stop the kernel with
// the reason, never be half-trusted.
KTEST_EXPECT_PANIC(malformed_boot_info_panics_with_reason, "PANIC: malformed Multiboot2 boot information: ") {
    alignas(8) static uint8_t copy[4096];
    const uint32_t size = boot_info_size() < sizeof copy ? boot_info_size() : sizeof copy;
    for (uint32_t i = 0; i < size; ++i) copy[i] = boot_info_bytes()[i];
    reinterpret_cast<boot::InfoHeader*>(copy)->total_size = size;
    reinterpret_cast<boot::TagHeader*>(copy + sizeof(boot::InfoHeader))->size = 0xFFFFFF00;  // first tag overruns
    (void)boot::validated_boot_info(boot::kBootMagic, reinterpret_cast<uintptr_t>(copy));
}

KTEST_EXPECT_PANIC(wrong_magic_in_kernel_main_panics, "PANIC: boot magic 0x2badb002 is not Multiboot2") {
    (void)boot::validated_boot_info(0x2BADB002, uintptr_t{multiboot_info});
}
