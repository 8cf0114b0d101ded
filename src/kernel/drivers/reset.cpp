// The three ways to reset, in the order the ACPI specification and Linux prefer them. Every wait is bounded: a
// way that does nothing costs half a second, then the next is tried.
#include "drivers/reset.hpp"

#include "arch/x86_64/idt.hpp"
#include "arch/x86_64/io.hpp"
#include "drivers/pci_config.hpp"
#include "drivers/ps2_controller.hpp"
#include "drivers/reset_register.hpp"
#include "drivers/system_timer.hpp"
#include "lib/log.hpp"
#include "lib/mmio.hpp"
#include "mm/device_windows.hpp"

namespace kernel::drivers {

namespace {

// Long enough for any chipset to act on a reset write (they act within microseconds), short enough that a
// person waiting sees the next way tried at once.
constexpr uint32_t kResetWaitUs = 500'000;
// The 8042 takes a command within microseconds once its input buffer is empty.
constexpr uint32_t kControllerWaitUs = 100'000;
constexpr uint32_t kPollUs = 10;

constexpr uint8_t kStatusInputFull = 1u << 1;  // the controller has not yet taken the last byte written
constexpr uint8_t kStatusAbsent = 0xFF;        // what the status port reads where no controller answers
constexpr uint8_t kPulseResetLine = 0xFE;      // pulse output line 0, wired to the CPU's reset

struct ResetPlan {
    acpi::ResetRegister reset;  // reset.supported: the FADT has one
    bool firmware_says_no_8042 = false;
};

constinit ResetPlan g_plan{};

// Says what it writes, then writes the reset value where the FADT says; an error where mink cannot write.
ErrorOr<void> write_reset_register(const acpi::ResetRegister& reset) {
    const ResetWrite write = plan_reset_write(reset);
    switch (write.kind) {
    case ResetWrite::Kind::IoPort:
        log::printf("Rebooting: ACPI reset register (I/O port %#llx, value %#x)\n", (unsigned long long)write.address,
                    write.value);
        arch::out8(static_cast<uint16_t>(write.address), write.value);
        return {};
    case ResetWrite::Kind::Memory: {
        log::printf("Rebooting: ACPI reset register (memory at %#llx, value %#x)\n", (unsigned long long)write.address,
                    write.value);
        const auto window = TRY(mm::map_device(mm::PhysicalAddress(write.address), 1, arch::CacheMode::Uncached));
        lib::mmio_write(window.as_pointer<uint8_t>(), write.value);
        return {};
    }
    case ResetWrite::Kind::PciConfig:
        log::printf("Rebooting: ACPI reset register (PCI 00:%02x.%x register %#x, value %#x)\n", write.function.device,
                    write.function.function, write.offset, write.value);
        pci::config_space().write8(write.function, write.offset, write.value);
        return {};
    case ResetWrite::Kind::Unsupported: break;
    }
    return Error::ResetUnsupportedSpace;
}

void try_acpi_reset() {
    const acpi::ResetRegister& reset = g_plan.reset;
    if (!reset.supported) {
        log::print("Rebooting: the FADT offers no reset register\n");
        return;
    }
    const ErrorOr<void> written = write_reset_register(reset);
    if (written.is_error()) {
        log::printf("Rebooting: ACPI reset register (space %u, address %#llx) skipped: %s\n",
                    reset.address.address_space, (unsigned long long)reset.address.address, to_string(written.error()));
        return;
    }
    system_delay().wait_microseconds(kResetWaitUs);
    log::print("Rebooting: the ACPI reset register did nothing within 500 ms\n");
}

// True once the controller's input buffer is empty, within kControllerWaitUs.
bool wait_for_8042_input_empty() {
    for (uint32_t waited = 0; waited < kControllerWaitUs; waited += kPollUs) {
        if ((arch::in8(Ps2Controller::kStatusPort) & kStatusInputFull) == 0) return true;
        system_delay().wait_microseconds(kPollUs);
    }
    return false;
}

void try_8042_reset() {
    if (g_plan.firmware_says_no_8042) {
        log::print("Rebooting: the FADT says there is no 8042: its reset line skipped\n");
        return;
    }
    if (arch::in8(Ps2Controller::kStatusPort) == kStatusAbsent) {
        log::print("Rebooting: no 8042 answers: its reset line skipped\n");
        return;
    }
    log::print("Rebooting: 8042 reset line\n");
    if (!wait_for_8042_input_empty()) {
        log::print("Rebooting: the 8042 never took a command within 100 ms\n");
        return;
    }
    arch::out8(Ps2Controller::kCommandPort, kPulseResetLine);
    system_delay().wait_microseconds(kResetWaitUs);
    log::print("Rebooting: the 8042 reset line did nothing within 500 ms\n");
}

}  // namespace

void init_reset(const acpi::Summary* acpi) {
    if (acpi == nullptr || acpi->fadt.is_error()) return;
    const acpi::Fadt& fadt = acpi->fadt.value();
    g_plan.reset = fadt.reset;
    g_plan.firmware_says_no_8042 = fadt.hardware_reduced || (fadt.boot_arch_valid && !fadt.boot_arch.has_8042);
}

void reboot() {
    try_acpi_reset();
    try_8042_reset();
    log::print("Rebooting: triple fault\n");
    arch::triple_fault();
}

}  // namespace kernel::drivers
