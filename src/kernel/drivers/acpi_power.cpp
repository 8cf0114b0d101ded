// ACPI S5 on the hardware: the PM1 control registers in system I/O space, written read-modify-write so that the
// bits the firmware owns keep their values; every wait bounded by the system delay, which needs no interrupts.
#include "drivers/acpi_power.hpp"

#include <stdint.h>

#include "acpi/s5.hpp"
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

constexpr uint32_t kMaxPort = 0xFFFF;
constexpr uint32_t kPollMicroseconds = 1000;
// How long the firmware may take to hand over ACPI mode, and the machine to go off once S5 is written.
constexpr uint32_t kAcpiModeWaitMs = 300;
constexpr uint32_t kPowerOffWaitMs = 1000;

// What power_off() writes, or why it cannot.
struct PowerOff {
    bool ready = false;
    const char* why_not = "init_acpi_power() never ran";
    acpi::S5Plan plan;
};

constinit PowerOff g_power_off{};

void wait_ms(uint32_t ms) {
    for (uint32_t i = 0; i < ms; ++i) system_delay().wait_microseconds(kPollMicroseconds);
}

// Firmware that boots in legacy mode ignores the PM1 registers until asked to hand them over through SMI_CMD.
void enter_acpi_mode(const acpi::S5Plan& plan) {
    if ((arch::in16(plan.pm1a_port) & kSciEnable) != 0) return;
    if (plan.acpi_enable.smi_command_port == 0 || plan.acpi_enable.smi_command_port > kMaxPort ||
        plan.acpi_enable.value == 0)
        return;
    arch::out8(static_cast<uint16_t>(plan.acpi_enable.smi_command_port), plan.acpi_enable.value);
    for (uint32_t waited = 0; waited < kAcpiModeWaitMs; ++waited) {
        if ((arch::in16(plan.pm1a_port) & kSciEnable) != 0) return;
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
        const ErrorOr<acpi::S5Plan> plan = acpi::plan_s5(*acpi, memory);
        if (plan.is_error())
            g_power_off.why_not = to_string(plan.error());
        else
            g_power_off = {true, nullptr, plan.value()};
    }
    if (!g_power_off.ready) {
        log::printf("Power:        shutdown cannot switch the machine off (%s)\n", g_power_off.why_not);
        return;
    }
    const acpi::S5Plan& plan = g_power_off.plan;
    log::printf("Power:        ACPI S5 (SLP_TYPa=%u, SLP_TYPb=%u) through PM1a_CNT at port %#x\n", plan.sleep_type.a,
                plan.sleep_type.b, plan.pm1a_port);
}

void power_off() {
    const PowerOff& power = g_power_off;
    if (!power.ready) {
        log::printf("shutdown: cannot switch the machine off: %s; halted\n", power.why_not);
        arch::halt_forever();
    }
    const acpi::S5Plan& plan = power.plan;
    log::printf("Powering off (ACPI S5: SLP_TYPa=%u, SLP_TYPb=%u)\n", plan.sleep_type.a, plan.sleep_type.b);
    enter_acpi_mode(plan);
    // The sleep types first, then SLP_EN: a chipset may act on SLP_EN at once, with whatever SLP_TYP holds then.
    write_sleep_control(plan.pm1a_port, plan.sleep_type.a, 0);
    write_sleep_control(plan.pm1b_port, plan.sleep_type.b, 0);
    write_sleep_control(plan.pm1a_port, plan.sleep_type.a, kSleepEnable);
    write_sleep_control(plan.pm1b_port, plan.sleep_type.b, kSleepEnable);
    wait_ms(kPowerOffWaitMs);
    log::printf("shutdown: still on %u ms after S5 was written: the machine could not be switched off; halted\n",
                kPowerOffWaitMs);
    arch::halt_forever();
}

}  // namespace kernel::drivers
