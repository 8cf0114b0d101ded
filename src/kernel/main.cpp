// kernel_main: where the 64-bit entry hands over. Read it as the list of
// steps the kernel takes, in the order they must happen.
#include <stdint.h>

#include "arch/x86_64/gdt.hpp"
#include "arch/x86_64/idt.hpp"
#include "arch/x86_64/io.hpp"
#include "arch/x86_64/paging.hpp"
#include "config.hpp"
#include "console/console.hpp"
#include "lib/hooks.hpp"
#include "lib/log.hpp"
#include "multiboot/boot_info.hpp"

static_assert(kernel::multiboot::kBootMagic == MB2_BOOTLOADER_MAGIC, "one Multiboot2 magic for asm and C++");

namespace {

using namespace kernel;

// The trampoline identity-maps only the first 4 GiB.
constexpr uint64_t kIdentityMappedLimit = 4ull << 30;

// Picks the screen GRUB described: VGA text under BIOS, a linear framebuffer
// under UEFI. Returns a description for the boot log.
const char* attach_screen(const multiboot::BootInfo& info) {
    if (!info.has_framebuffer) return "none (no framebuffer tag): serial only";
    const multiboot::Framebuffer& fb = info.framebuffer;
    if (fb.address + uint64_t(fb.pitch) * fb.height > kIdentityMappedLimit)
        return "framebuffer above 4 GiB: serial only";
    switch (fb.type) {
    case multiboot::FramebufferType::EgaText:
        console::attach_vga_text(drivers::VgaText(reinterpret_cast<drivers::VgaCell*>(fb.address), fb.width, fb.height,
                                                  fb.pitch / sizeof(drivers::VgaCell)));
        return "VGA text";
    case multiboot::FramebufferType::Rgb: {
        const drivers::FramebufferSpec spec{reinterpret_cast<uint8_t*>(fb.address),
                                            fb.pitch,
                                            fb.width,
                                            fb.height,
                                            fb.bpp,
                                            fb.red_position,
                                            fb.red_size,
                                            fb.green_position,
                                            fb.green_size,
                                            fb.blue_position,
                                            fb.blue_size};
        const char* error = console::attach_framebuffer(spec);
        return error == nullptr ? "RGB framebuffer" : error;
    }
    case multiboot::FramebufferType::Indexed: return "indexed-colour framebuffer (unsupported): serial only";
    }
    return "unknown framebuffer type: serial only";
}

// What must stay mapped once the kernel's own page tables replace the
// trampoline's: the boot information (its strings are still read) and the screen.
arch::PhysicalRange boot_info_range(uintptr_t address) {
    return {address, multiboot::boot_info_size(address)};
}

arch::PhysicalRange framebuffer_range(const multiboot::BootInfo& info) {
    if (!info.has_framebuffer) return {};
    return {info.framebuffer.address, uint64_t(info.framebuffer.pitch) * info.framebuffer.height};
}

void print_boot_summary(const multiboot::BootInfo& info, const char* screen) {
    const multiboot::Framebuffer& fb = info.framebuffer;
    log::printf("Boot loader:  %s\n", info.has_loader_name ? info.loader_name.data : "(not given)");
    log::printf("Command line: \"%s\"\n", info.has_command_line ? info.command_line.data : "");
    log::printf("Memory:       %llu KiB usable (%llu MiB) in %u map entries\n",
                (unsigned long long)(info.usable_memory_bytes >> 10),
                (unsigned long long)(info.usable_memory_bytes >> 20), info.memory_map_entries);
    log::printf("Screen:       %s, %ux%u, %u bpp at %#llx\n", screen, fb.width, fb.height, fb.bpp,
                (unsigned long long)fb.address);
    if (info.module_count > 0) log::printf("Modules:      %u\n", info.module_count);
}

}  // namespace

extern "C" [[noreturn]] void kernel_main(uint32_t magic, uintptr_t boot_info_address) {
    // 1. Serial first: from here on everything the kernel says is observable.
    console::init();

    // 2. Exceptions: from here on a fault is reported, never a silent reset.
    //    The GDT comes first: its TSS holds the double-fault stack.
    arch::init_gdt();
    arch::init_idt();

    // 3. The boot information: validated before anything trusts it.
    const multiboot::BootInfo info = multiboot::validated_boot_info(magic, boot_info_address);

    // 4. The screen GRUB set up for us (serial keeps working without one).
    const char* screen = attach_screen(info);
    if (!console::has_screen()) log::printf("mink: no usable screen (%s); console is serial only\n", screen);

    // 5. Greet: the first line on the screen.
    log::print("Hello World!\n");

    // 6. The kernel's own page tables: W^X for the image, nothing mapped at 0
    //    or under the stack; the boot information and the screen stay mapped.
    arch::init_kernel_page_tables(boot_info_range(boot_info_address), framebuffer_range(info));

    // 7. Say what we were given.
    print_boot_summary(info, screen);

    // 8. Whatever waits for a finished boot (the test build's harness) runs
    //    now; the product registers nothing here.
    hooks::boot_complete();

    // 9. Nothing more to do: sleep until an interrupt, forever.
    for (;;) arch::wait_for_interrupt();
}
