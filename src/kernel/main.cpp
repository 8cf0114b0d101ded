// kernel_main: where the 64-bit entry hands over. Read it as the list of
// steps the kernel takes, in the order they must happen.
#include <stdint.h>

#include "acpi/acpi.hpp"
#include "arch/x86_64/acpi_memory.hpp"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/gdt.hpp"
#include "arch/x86_64/idt.hpp"
#include "arch/x86_64/interrupts.hpp"
#include "arch/x86_64/io.hpp"
#include "arch/x86_64/paging.hpp"
#include "config.hpp"
#include "console/console.hpp"
#include "console/prompt.hpp"
#include "drivers/interrupt_routing.hpp"
#include "drivers/ps2_keyboard.hpp"
#include "drivers/system_timer.hpp"
#include "lib/format.hpp"
#include "lib/hooks.hpp"
#include "lib/log.hpp"
#include "mm/direct_map.hpp"
#include "multiboot/boot_info.hpp"

static_assert(kernel::multiboot::kBootMagic == MB2_BOOTLOADER_MAGIC, "one Multiboot2 magic for asm and C++");

namespace {

using namespace kernel;

// Maps and attaches the screen GRUB described: VGA text under BIOS, a linear
// framebuffer under UEFI (write-combining). A screen that is refused is not
// left mapped. Returns a description for the boot log.
const char* attach_screen(const multiboot::BootInfo& info) {
    if (!info.has_framebuffer) return "none (no framebuffer tag): serial only";
    const multiboot::Framebuffer& fb = info.framebuffer;
    if (fb.address == 0) return "framebuffer at address 0 (refused): serial only";
    const uint64_t size = uint64_t(fb.pitch) * fb.height;
    switch (fb.type) {
    case multiboot::FramebufferType::EgaText: {
        const auto window = arch::map_device(mm::PhysicalAddress(fb.address), size, arch::CacheMode::Uncached);
        if (!window) return "VGA text (cannot map it): serial only";
        console::attach_vga_text(drivers::VgaText(window->as_pointer<drivers::VgaCell>(), fb.width, fb.height,
                                                  fb.pitch / sizeof(drivers::VgaCell)));
        return "VGA text";
    }
    case multiboot::FramebufferType::Rgb: {
        const auto window = arch::map_device(mm::PhysicalAddress(fb.address), size, arch::CacheMode::WriteCombining);
        if (!window) return "RGB framebuffer (cannot map it): serial only";
        const ErrorOr<void> attached =
            console::attach_framebuffer(drivers::framebuffer_spec(fb, window->as_pointer<uint8_t>()));
        if (!attached.is_error()) return "RGB framebuffer";
        arch::unmap_device(*window, size);
        return to_string(attached.error());
    }
    case multiboot::FramebufferType::Indexed: return "indexed-colour framebuffer (unsupported): serial only";
    }
    return "unknown framebuffer type: serial only";
}

void print_boot_summary(const multiboot::BootInfo& info, const arch::MemorySummary& memory, const char* screen) {
    const multiboot::Framebuffer& fb = info.framebuffer;
    log::printf("Boot loader:  %s\n", info.has_loader_name ? info.loader_name.data : "(not given)");
    log::printf("Command line: \"%s\"\n", info.has_command_line ? info.command_line.data : "");
    log::printf("Memory:       %llu KiB usable (%llu MiB) in %u map entries\n",
                (unsigned long long)(info.usable_memory_bytes >> 10),
                (unsigned long long)(info.usable_memory_bytes >> 20), info.memory_map_entries);
    log::printf("Kernel:       loaded at %#llx (%llu KiB); %llu MiB free, heap %llu KiB in use\n",
                (unsigned long long)memory.kernel_physical.value(), (unsigned long long)(memory.kernel_bytes >> 10),
                (unsigned long long)(arch::frame_allocator().free_frames() * arch::kPageSize >> 20),
                (unsigned long long)(arch::kernel_heap().stats().bytes_in_use >> 10));
    // Geometry only where it is known and was used.
    if (!console::has_screen())
        log::printf("Screen:       %s\n", screen);
    else if (fb.type == multiboot::FramebufferType::EgaText)
        log::printf("Screen:       %s, %ux%u characters at %#llx\n", screen, fb.width, fb.height,
                    (unsigned long long)fb.address);
    else
        log::printf("Screen:       %s, %ux%u, %u bpp (%u:%u:%u) at %#llx\n", screen, fb.width, fb.height, fb.bpp,
                    fb.red_size, fb.green_size, fb.blue_size, (unsigned long long)fb.address);
    if (info.module_count > 0) log::printf("Modules:      %u\n", info.module_count);
}

// The firmware's tables, parsed once and kept: the MADT and HPET are used
// by the drivers for as long as the kernel runs.
constinit acpi::Summary g_acpi{};
constinit arch::DirectMapPhysicalMemory g_physical_memory;

template <typename Table>
const char* table_state(const acpi::Found<Table>& table) {
    return table.is_error() ? to_string(table.error()) : "ok";
}

// Null when the boot information carries no usable RSDP.
const acpi::Summary* read_acpi(const multiboot::BootInfo& info) {
    if (!info.has_acpi_rsdp) {
        log::print("ACPI:         no RSDP from the loader\n");
        return nullptr;
    }
    const ErrorOr<acpi::Summary> parsed = acpi::parse(info.acpi_rsdp, info.acpi_rsdp_size, g_physical_memory);
    if (parsed.is_error()) {
        log::printf("ACPI:         unusable (%s)\n", to_string(parsed.error()));
        return nullptr;
    }
    g_acpi = parsed.value();
    log::printf("ACPI:         revision %u (%s), %s; MADT %s, FADT %s, HPET %s\n", g_acpi.rsdp_revision, g_acpi.oem_id,
                g_acpi.root == acpi::RootKind::Xsdt ? "XSDT" : "RSDT", table_state(g_acpi.madt),
                table_state(g_acpi.fadt), table_state(g_acpi.hpet));
    return &g_acpi;
}

void init_interrupts(const acpi::Summary* acpi) {
    const acpi::Madt* madt = acpi != nullptr && !acpi->madt.is_error() ? &acpi->madt.value() : nullptr;
    const drivers::InterruptRoutingReport report = drivers::init_interrupt_routing(madt);
    const char* mode = report.local_apic == arch::LocalApicMode::X2Apic  ? "x2APIC"
                       : report.local_apic == arch::LocalApicMode::XApic ? "xAPIC"
                                                                         : "no local APIC";
    log::printf("Interrupts:   8259 PICs %s; %s id %u; %u I/O APIC(s), %u pins\n",
                report.pic_masked ? "remapped and masked" : "absent", mode, report.local_apic_id, report.io_apics,
                report.io_apic_pins);
}

// Starts the tick, then proves it ticks with interrupts on: the line is the
// evidence on machines with nothing but a screen.
void init_timer(const acpi::Summary* acpi) {
    const ErrorOr<void> started = drivers::init_system_timer(acpi);
    arch::enable_interrupts();
    if (started.is_error()) {
        log::printf("Timer:        none (%s)\n", to_string(started.error()));
        return;
    }
    const drivers::TimerCalibration& calibration = drivers::timer_calibration();
    // Short enough for an 80-column screen: the reference clock in brackets.
    log::printf("Timer:        %u Hz tick, local APIC %llu kHz, TSC %llu MHz (%s)\n", drivers::tick_hz(),
                (unsigned long long)(calibration.lapic_hz / 1000), (unsigned long long)(calibration.tsc_hz / 1000000),
                calibration.reference);
    constexpr uint64_t kProofTicks = 3;
    const uint64_t start = drivers::ticks();
    drivers::TscDelay limit;
    for (int waited_ms = 0; drivers::ticks() - start < kProofTicks && waited_ms < 1000; ++waited_ms)
        limit.wait_microseconds(1000);
    const uint64_t counted = drivers::ticks() - start;
    log::printf("Timer:        %s (%llu ticks; uptime %llu ms)\n", counted >= kProofTicks ? "ticking" : "NOT ticking",
                (unsigned long long)counted, (unsigned long long)drivers::uptime_ms());
}

// The kernel's own share of the boot, from the trampoline's TSC reading to
// the greeting, on one serial-only line that tools/benchmark.py reads.
void report_kernel_boot_time(uint64_t entry_tsc) {
    const uint64_t cycles = arch::read_tsc() - entry_tsc;
    const uint64_t hz = arch::tsc_hz();
    char line[128];
    if (hz != 0) {
        lib::format_to(line, sizeof line,
                       "mink-boot-time: %llu TSC cycles from entry to Hello World!, TSC at %llu Hz\n",
                       static_cast<unsigned long long>(cycles), static_cast<unsigned long long>(hz));
    } else {
        lib::format_to(line, sizeof line,
                       "mink-boot-time: %llu TSC cycles from entry to Hello World!, TSC rate unknown\n",
                       static_cast<unsigned long long>(cycles));
    }
    console::write_serial_only(line);
}

}  // namespace

extern "C" [[noreturn]] void kernel_main(const arch::BootHandoff& handoff) {
    // 1. Serial first: from here on everything the kernel says is observable.
    console::init();

    // 2. Exceptions: from here on a fault is reported, never a silent reset.
    //    The GDT comes first: its TSS holds the double-fault stack.
    arch::init_gdt();
    arch::init_idt();

    // 3. The boot information, validated before anything trusts it. It lies
    //    below 4 GiB, which the trampoline's direct map covers (a null
    //    address stays null, so validation refuses it).
    const uint32_t boot_info = handoff.multiboot_info;
    const multiboot::BootInfo info = multiboot::validated_boot_info(
        handoff.multiboot_magic, boot_info == 0 ? 0 : mm::to_virtual(mm::PhysicalAddress(boot_info)).value());

    // 4. Memory: frame allocator, the kernel's own page tables (W^X image,
    //    direct map, nothing in the lower half), the heap. `new` works after.
    const arch::MemorySummary memory = arch::init_memory(handoff, info);

    // 5. The screen GRUB set up for us (serial keeps working without one).
    const char* screen = attach_screen(info);
    if (!console::has_screen()) log::printf("mink: no usable screen (%s); console is serial only\n", screen);

    // 6. Greet: the first line on the screen; then prove W^X on the live tables.
    log::print("Hello World!\n");
    report_kernel_boot_time(handoff.entry_tsc);
    arch::report_page_protection();

    // 7. Say what we were given.
    print_boot_summary(info, memory, screen);

    // 8. The firmware's ACPI tables, read through the direct map.
    const acpi::Summary* acpi = read_acpi(info);

    // 9. Interrupt controllers: the 8259s masked, the local APIC on, the
    //    I/O APICs masked until a driver routes a pin.
    init_interrupts(acpi);

    // 10. The timer, calibrated; interrupts are on from here.
    init_timer(acpi);

    // 11. The keyboard: its interrupt queues what it sends. Without one the
    //     boot goes on, with one line saying why.
    const ErrorOr<void> keyboard = drivers::init_ps2_keyboard(acpi);
    if (keyboard.is_error())
        log::printf("Keyboard:     %s: keyboard unavailable\n", to_string(keyboard.error()));
    else
        log::print("Keyboard:     PS/2, on IRQ 1\n");

    // 12. Whatever waits for a finished boot (the test build's harness) runs
    //     now; the product registers nothing here.
    hooks::boot_complete();

    // 13. The prompt: echo what is typed, sleeping with interrupts on between keys.
    console::run_prompt(!keyboard.is_error());
}
