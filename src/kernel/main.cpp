// kernel_main: where the 64-bit entry hands over. Read it as the list of
// steps the kernel takes, in the order they must happen.
#include <stdint.h>

#include "acpi/acpi.hpp"
#include "addr/direct_map.hpp"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/gdt.hpp"
#include "arch/x86_64/idt.hpp"
#include "arch/x86_64/interrupts.hpp"
#include "arch/x86_64/io.hpp"
#include "config.hpp"
#include "console/console.hpp"
#include "drivers/acpi_power.hpp"
#include "drivers/interrupt_routing.hpp"
#include "drivers/pci_config.hpp"
#include "drivers/ps2_keyboard.hpp"
#include "drivers/reset.hpp"
#include "drivers/serial_input.hpp"
#include "drivers/system_timer.hpp"
#include "lib/format.hpp"
#include "lib/hooks.hpp"
#include "lib/log.hpp"
#include "mm/acpi_memory.hpp"
#include "mm/device_windows.hpp"
#include "mm/kernel_stacks.hpp"
#include "mm/memory.hpp"
#include "multiboot/boot_info.hpp"
#include "sched/scheduler.hpp"
#include "sched/thread.hpp"
#include "shell/shell.hpp"

namespace {

using namespace kernel;

// The first line on the screen: edit it freely. The tests, the benchmark and
// tools/run.py read it from this line (tools/greeting.py), so keep it one
// line of this form.
constexpr char kGreeting[] = "Hello World!";

// Maps and attaches the screen GRUB described: VGA text under BIOS, a linear
// framebuffer under UEFI (write-combining). A screen that is refused is not
// left mapped. Returns a description for the boot log.
const char* attach_screen(const boot::BootRecord& boot) {
    if (!boot.has_framebuffer) return "none (no framebuffer tag): serial only";
    const boot::Framebuffer& fb = boot.framebuffer;
    if (fb.address == 0) return "framebuffer at address 0 (refused): serial only";
    const uint64_t size = fb.size();
    switch (fb.kind) {
    case boot::FramebufferKind::EgaText: {
        const auto window = mm::map_device(mm::PhysicalAddress(fb.address), size, arch::CacheMode::Uncached);
        if (window.is_error()) return "VGA text (cannot map it): serial only";
        console::attach_vga_text(drivers::VgaText(window->as_pointer<drivers::VgaCell>(), fb.width, fb.height,
                                                  fb.pitch / sizeof(drivers::VgaCell)));
        return "VGA text";
    }
    case boot::FramebufferKind::Rgb: {
        const auto window = mm::map_device(mm::PhysicalAddress(fb.address), size, arch::CacheMode::WriteCombining);
        if (window.is_error()) return "RGB framebuffer (cannot map it): serial only";
        const ErrorOr<void> attached =
            console::attach_framebuffer(drivers::framebuffer_spec(fb, window->as_pointer<uint8_t>()));
        if (!attached.is_error()) return "RGB framebuffer";
        mm::unmap_device(*window, size);
        return to_string(attached.error());
    }
    case boot::FramebufferKind::Indexed: return "indexed-colour framebuffer (unsupported): serial only";
    }
    return "unknown framebuffer type: serial only";
}

void print_boot_summary(const boot::BootRecord& boot, const char* screen) {
    const boot::Framebuffer& fb = boot.framebuffer;
    log::printf("Boot loader:  %s\n", boot.loader_name != nullptr ? boot.loader_name : "(not given)");
    log::printf("Command line: \"%s\"\n", boot.command_line != nullptr ? boot.command_line : "");
    log::printf("Memory:       %llu KiB usable (%llu MiB) in %u map entries\n",
                (unsigned long long)(boot.usable_memory_bytes >> 10),
                (unsigned long long)(boot.usable_memory_bytes >> 20),
                static_cast<unsigned>(boot.has_memory_map ? boot.memory_map.count() : 0));
    log::printf("Kernel:       loaded at %#llx (%llu KiB); %llu MiB free, heap %llu KiB in use\n",
                (unsigned long long)boot.kernel_image.base, (unsigned long long)(boot.kernel_image.size >> 10),
                (unsigned long long)(mm::frame_allocator().free_frames() * mm::kPageSize >> 20),
                (unsigned long long)(mm::kernel_heap().stats().bytes_in_use >> 10));
    // Geometry only where it is known and was used.
    if (!console::has_screen())
        log::printf("Screen:       %s\n", screen);
    else if (fb.kind == boot::FramebufferKind::EgaText)
        log::printf("Screen:       %s, %ux%u characters at %#llx\n", screen, fb.width, fb.height,
                    (unsigned long long)fb.address);
    else
        log::printf("Screen:       %s, %ux%u, %u bpp (%u:%u:%u) at %#llx\n", screen, fb.width, fb.height, fb.bpp,
                    fb.red_size, fb.green_size, fb.blue_size, (unsigned long long)fb.address);
    if (boot.module_count > 0) log::printf("Modules:      %u\n", boot.module_count);
}

// The firmware's tables, parsed once and kept: the MADT and HPET are used
// by the drivers for as long as the kernel runs.
constinit acpi::Summary g_acpi{};
constinit mm::AcpiPhysicalMemory g_physical_memory;

template <typename Table>
const char* table_state(const acpi::Found<Table>& table) {
    return table.is_error() ? to_string(table.error()) : "ok";
}

// Null when the boot information carries no usable RSDP.
const acpi::Summary* read_acpi(const boot::BootRecord& boot) {
    if (boot.rsdp == nullptr) {
        log::print("ACPI:         no RSDP from the loader\n");
        return nullptr;
    }
    const ErrorOr<acpi::Summary> parsed = acpi::parse(boot.rsdp, boot.rsdp_size, g_physical_memory);
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
    // Which controller delivers ISA IRQs shows in what is said of the PICs.
    const char* pics = report.isa_irqs == drivers::IsaIrqController::Pic8259 ? "remapped, delivering ISA IRQs"
                       : report.pic_masked                                   ? "remapped and masked"
                                                                             : "absent";
    char local_apic[32];
    if (report.local_apic == arch::LocalApicMode::None)
        lib::format_to(local_apic, sizeof local_apic, "%s", mode);
    else
        lib::format_to(local_apic, sizeof local_apic, "%s id %u", mode, report.local_apic_id);
    log::printf("Interrupts:   8259 PICs %s; %s; %u I/O APIC(s), %u pins\n", pics, local_apic, report.io_apics,
                report.io_apic_pins);
    if (report.isa_irqs == drivers::IsaIrqController::None)
        log::print("Interrupts:   no I/O APIC or 8259 delivers ISA IRQs: no keyboard or serial input\n");
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
    if (calibration.lapic_hz == 0)
        log::printf("Timer:        %u Hz tick from the PIT, TSC %llu MHz (%s)\n", drivers::tick_hz(),
                    (unsigned long long)(calibration.tsc_hz / 1000000), calibration.reference);
    else
        log::printf("Timer:        %u Hz tick, local APIC %llu kHz, TSC %llu MHz (%s)\n", drivers::tick_hz(),
                    (unsigned long long)(calibration.lapic_hz / 1000),
                    (unsigned long long)(calibration.tsc_hz / 1000000), calibration.reference);
    constexpr uint64_t kProofTicks = 3;
    const uint64_t start = drivers::ticks();
    drivers::TscDelay limit;
    for (int waited_ms = 0; drivers::ticks() - start < kProofTicks && waited_ms < 1000; ++waited_ms)
        limit.wait_microseconds(1000);
    const uint64_t counted = drivers::ticks() - start;
    log::printf("Timer:        %s (%llu ticks; uptime %llu ms)\n", counted >= kProofTicks ? "ticking" : "NOT ticking",
                (unsigned long long)counted, (unsigned long long)drivers::uptime_ms());
}

// Says how PCI configuration space is reached, and why not through ECAM
// where the MCFG offered a window that did not answer.
void init_pci(const acpi::Summary* acpi) {
    const drivers::pci::AccessReport pci = drivers::pci::init_config_space(acpi);
    if (pci.access == drivers::pci::Access::Ecam)
        log::printf("PCI:          ECAM at %#llx, buses %u-%u (MCFG)\n", (unsigned long long)pci.window.base_address,
                    pci.window.start_bus, pci.window.end_bus);
    else if (pci.ecam_refused)
        log::printf("PCI:          MCFG's ECAM unusable (%s): ports 0xCF8/0xCFC instead\n",
                    to_string(*pci.ecam_refused));
    else
        log::print("PCI:          ports 0xCF8/0xCFC (no MCFG)\n");
}

// The kernel's own share of the boot, from the trampoline's TSC reading to
// the greeting, on one serial-only line that tools/benchmark.py reads.
void report_kernel_boot_time(uint64_t entry_tsc) {
    const uint64_t cycles = arch::read_tsc() - entry_tsc;
    const uint64_t hz = arch::tsc_hz();
    char line[128];
    if (hz != 0) {
        lib::format_to(line, sizeof line,
                       "mink-boot-time: %llu TSC cycles from entry to the greeting, TSC at %llu Hz\n",
                       static_cast<unsigned long long>(cycles), static_cast<unsigned long long>(hz));
    } else {
        lib::format_to(line, sizeof line,
                       "mink-boot-time: %llu TSC cycles from entry to the greeting, TSC rate unknown\n",
                       static_cast<unsigned long long>(cycles));
    }
    console::write_serial_only(line);
}

// The double-fault, NMI and machine-check stacks move from .bss to kernel
// stacks with guard pages below them.
void use_guarded_ist_stacks() {
    constexpr arch::IstSlot kIstSlots[] = {arch::IstSlot::DoubleFault, arch::IstSlot::Nmi, arch::IstSlot::MachineCheck};
    for (const arch::IstSlot slot : kIstSlots) {
        const ErrorOr<mm::VirtualAddress> top = mm::allocate_kernel_stack();
        if (top.is_error()) panic("cannot allocate an IST stack: %s", to_string(top.error()));
        arch::set_ist_stack(slot, top->value());
    }
}

// Starts the shell's thread, which nobody joins: it runs for good.
void start_shell() {
    const ErrorOr<sched::Thread*> thread = sched::create_thread(shell::kShellThreadName, shell::shell_main, nullptr);
    if (thread.is_error()) {
        log::printf("Shell:        cannot start it (%s)\n", to_string(thread.error()));
        return;
    }
    sched::detach(thread.value());
}

}  // namespace

extern "C" [[noreturn]] void kernel_main(const boot::BootHandoff& handoff) {
    // 1. Serial first: from here on everything the kernel says is observable.
    console::init();

    // 2. Exceptions: from here on a fault is reported, never a silent reset.
    //    The GDT comes first: its TSS holds the double-fault stack.
    arch::init_gdt();
    arch::init_idt();

    // 3. The boot information, validated before anything trusts it and
    //    turned into mink's boot record. It lies below 4 GiB, which the
    //    trampoline's direct map covers (a null address stays null, so
    //    validation refuses it).
    const uint32_t boot_info = handoff.multiboot_info;
    const boot::BootRecord boot = multiboot::read_boot_record(
        handoff, boot_info == 0 ? 0 : mm::to_virtual(mm::PhysicalAddress(boot_info)).value());

    // 4. Memory: frame allocator, the kernel's own page tables (W^X image,
    //    direct map, nothing in the lower half), the heap. `new` works after.
    //    Then the IST stacks move to guarded kernel stacks.
    mm::init_memory(boot);
    use_guarded_ist_stacks();

    // 4b. Threads: this flow becomes thread 0, "boot", on the per-CPU block
    //     the GS base points at; the idle thread is made. They take turns
    //     once the timer ticks (step 10).
    sched::init_scheduler();

    // 5. The screen GRUB set up for us (serial keeps working without one).
    const char* screen = attach_screen(boot);
    if (!console::has_screen()) log::printf("mink: no usable screen (%s); console is serial only\n", screen);

    // 6. Greet: the first line on the screen; then prove W^X on the live tables.
    log::printf("%s\n", kGreeting);
    report_kernel_boot_time(handoff.entry_tsc);
    mm::report_page_protection();

    // 7. Say what we were given.
    print_boot_summary(boot, screen);

    // 8. The firmware's ACPI tables, read through the direct map (or a
    //    read-only window where the firmware keeps them in reserved memory).
    const acpi::Summary* acpi = read_acpi(boot);

    // 9. Interrupt controllers: the 8259s masked, the local APIC on, the
    //    I/O APICs masked until a driver routes a pin. Without a MADT's
    //    I/O APIC or without a local APIC, the 8259s deliver ISA IRQs.
    init_interrupts(acpi);

    // 10. The timer, calibrated: the local APIC's, else the PIT (on IRQ 0);
    //     interrupts are on from here.
    init_timer(acpi);

    // 11. The keyboard: its interrupt queues what it sends. Without one the
    //     boot goes on, with one line saying why.
    const ErrorOr<void> keyboard = drivers::init_ps2_keyboard(acpi);
    if (keyboard.is_error())
        log::printf("Keyboard:     %s: keyboard unavailable\n", to_string(keyboard.error()));
    else
        log::print("Keyboard:     PS/2, on IRQ 1\n");

    // 11b. What `shutdown` will write to switch the machine off (ACPI S5):
    //      found once, here, so the command itself only writes it.
    drivers::init_acpi_power(acpi, g_physical_memory);

    // 11c. The platform: how to reach PCI configuration space (before the
    //      reset, which may need it) and how to reset the machine.
    init_pci(acpi);
    drivers::init_reset(acpi);

    // 12. Whatever waits for a finished boot (the test build's harness) runs
    //     now; the product registers nothing here.
    hooks::boot_complete();

    // 13. Typing on COM1: its receive interrupt queues what arrives. Only
    //     after step 12, since the test build's harness reads its commands
    //     from COM1 itself, and this interrupt would take them first.
    const ErrorOr<void> serial_input = drivers::init_serial_input();
    if (serial_input.is_error())
        log::printf("Serial:       %s: serial input unavailable\n", to_string(serial_input.error()));
    else
        log::print("Serial:       COM1 input on IRQ 4\n");

    // 14. The shell, in a thread of its own that sleeps until a key comes
    //     (none is started when nothing can type). The boot flow's work is
    //     done: it ends here, and the scheduler runs the shell, or the idle
    //     thread, from now on.
    if (keyboard.is_error() && serial_input.is_error())
        log::print("Shell:        none (no keyboard, no serial input)\n");
    else
        start_shell();
    sched::exit_thread(0);
}
