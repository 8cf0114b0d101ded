// ACPI S5 on the hardware: the PM1 control registers in system I/O space, written read-modify-write so that the
// bits the firmware owns keep their values; every wait bounded by the system delay, which needs no interrupts.
#include "drivers/acpi_power.hpp"

#include <stdint.h>

#include "acpi/fadt.hpp"
#include "acpi/s5.hpp"
#include "acpi/tables.hpp"
#include "arch/x86_64/io.hpp"
#include "drivers/system_timer.hpp"
#include "lib/error.hpp"
#include "lib/log.hpp"

namespace kernel::drivers {
namespace {

// PM1 control register bits (ACPI 6.5 section 4.8.4.2.1).
constexpr uint16_t kSciEnable = 1u << 0;  // SCI_EN: the PM registers belong to the OS (ACPI mode).
constexpr unsigned kSleepTypeShift = 10;
constexpr uint16_t kSleepTypeMask = 0x7u << kSleepTypeShift;
constexpr uint16_t kSleepEnable = 1u << 13;

constexpr uint64_t kMaxPort = 0xFFFF;
constexpr uint32_t kPollMicroseconds = 1000;
// How long the firmware may take to hand over ACPI mode, and the machine to go off once S5 is written.
constexpr uint32_t kAcpiModeWaitMs = 300;
constexpr uint32_t kPowerOffWaitMs = 1000;

struct PowerOff {
    bool ready = false;
    const char* why_not = "init_acpi_power() never ran";
    acpi::SleepType s5;
    uint16_t pm1a_port = 0;
    uint16_t pm1b_port = 0;  // 0: no PM1b block
    acpi::AcpiEnable acpi_enable;
};

constinit PowerOff g_power_off{};

// A PM1 control block as an I/O port: absent (0) is fine for PM1b; anything but system I/O is refused.
ErrorOr<uint16_t> to_port(const acpi::GenericAddress& block) {
    if (block.address == 0) return uint16_t{0};
    if (block.address_space != static_cast<uint8_t>(acpi::AddressSpace::SystemIo) || block.address > kMaxPort - 1)
        return Error::AcpiPm1NotSystemIo;
    return static_cast<uint16_t>(block.address);
}

ErrorOr<PowerOff> find_power_off(const acpi::Summary& acpi, const acpi::PhysicalMemory& memory) {
    if (acpi.fadt.is_error()) return acpi.fadt.error();
    const acpi::Fadt& fadt = acpi.fadt.value();
    PowerOff found;
    found.pm1a_port = TRY(to_port(fadt.pm1_control.a));
    if (found.pm1a_port == 0) return Error::AcpiNoPm1Control;
    found.pm1b_port = TRY(to_port(fadt.pm1_control.b));
    found.s5 = TRY(acpi::find_s5(acpi, memory));
    found.acpi_enable = fadt.acpi_enable;
    found.ready = true;
    return found;
}

void wait_ms(uint32_t ms) {
    for (uint32_t i = 0; i < ms; ++i) system_delay().wait_microseconds(kPollMicroseconds);
}

// Firmware that boots in legacy mode ignores the PM1 registers until asked to hand them over through SMI_CMD.
void enter_acpi_mode(const PowerOff& power) {
    if ((arch::in16(power.pm1a_port) & kSciEnable) != 0) return;
    if (power.acpi_enable.smi_command_port == 0 || power.acpi_enable.smi_command_port > kMaxPort ||
        power.acpi_enable.value == 0)
        return;
    arch::out8(static_cast<uint16_t>(power.acpi_enable.smi_command_port), power.acpi_enable.value);
    for (uint32_t waited = 0; waited < kAcpiModeWaitMs; ++waited) {
        if ((arch::in16(power.pm1a_port) & kSciEnable) != 0) return;
        wait_ms(1);
    }
    log::printf("shutdown: the firmware did not enter ACPI mode within %u ms; writing S5 all the same\n",
                kAcpiModeWaitMs);
}

void write_sleep_control(uint16_t port, uint8_t sleep_type, uint16_t enable) {
    if (port == 0) return;
    const uint16_t kept = arch::in16(port) & ~(kSleepTypeMask | kSleepEnable);
    arch::out16(port, kept | static_cast<uint16_t>(sleep_type << kSleepTypeShift) | enable);
}

}  // namespace

void init_acpi_power(const acpi::Summary* acpi, const acpi::PhysicalMemory& memory) {
    if (acpi == nullptr) {
        g_power_off.why_not = "no usable ACPI tables";
    } else {
        const ErrorOr<PowerOff> found = find_power_off(*acpi, memory);
        if (found.is_error())
            g_power_off.why_not = to_string(found.error());
        else
            g_power_off = found.value();
    }
    if (!g_power_off.ready) {
        log::printf("Power:        shutdown cannot switch the machine off (%s)\n", g_power_off.why_not);
        return;
    }
    log::printf("Power:        ACPI S5 (SLP_TYPa=%u, SLP_TYPb=%u) through PM1a_CNT at port %#x\n", g_power_off.s5.a,
                g_power_off.s5.b, g_power_off.pm1a_port);
}

void power_off() {
    const PowerOff& power = g_power_off;
    if (!power.ready) {
        log::printf("shutdown: cannot switch the machine off: %s; halted\n", power.why_not);
        arch::halt_forever();
    }
    log::printf("Powering off (ACPI S5: SLP_TYPa=%u, SLP_TYPb=%u)\n", power.s5.a, power.s5.b);
    enter_acpi_mode(power);
    // The sleep types first, then SLP_EN: a chipset may act on SLP_EN at once, with whatever SLP_TYP holds then.
    write_sleep_control(power.pm1a_port, power.s5.a, 0);
    write_sleep_control(power.pm1b_port, power.s5.b, 0);
    write_sleep_control(power.pm1a_port, power.s5.a, kSleepEnable);
    write_sleep_control(power.pm1b_port, power.s5.b, kSleepEnable);
    wait_ms(kPowerOffWaitMs);
    log::printf(
        "shutdown: the machine is still on %u ms after S5 was written: it could not be switched off; "
        "halted\n",
        kPowerOffWaitMs);
    arch::halt_forever();
}

}  // namespace kernel::drivers
