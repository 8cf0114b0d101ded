// This CPU's local APIC: x2APIC through MSRs when the CPU has it, else xAPIC
// through its registers mapped uncached. It delivers every device interrupt
// and owns the timer the kernel ticks with.
#pragma once

#include <stdint.h>

#include "addr/address.hpp"
#include "lib/optional.hpp"

namespace kernel::arch {

enum class LocalApicMode : uint8_t { None, XApic, X2Apic };

// Register offsets in the xAPIC page; x2APIC MSR = 0x800 + offset / 16.
enum class ApicRegister : uint32_t {
    Id = 0x20,
    Version = 0x30,
    TaskPriority = 0x80,
    EndOfInterrupt = 0xB0,
    SpuriousVector = 0xF0,
    ErrorStatus = 0x280,
    LvtTimer = 0x320,
    LvtLint0 = 0x350,
    LvtLint1 = 0x360,
    LvtError = 0x370,
    TimerInitialCount = 0x380,
    TimerCurrentCount = 0x390,
    TimerDivide = 0x3E0,
};

inline constexpr uint32_t kLvtMasked = 1u << 16;
inline constexpr uint32_t kLvtTimerPeriodic = 1u << 17;
inline constexpr uint32_t kLvtDeliveryNmi = 0b100u << 8;
// The 8259 supplies the vector itself (virtual-wire mode, on LINT0).
inline constexpr uint32_t kLvtDeliveryExtInt = 0b111u << 8;
inline constexpr uint32_t kLvtActiveLow = 1u << 13;
inline constexpr uint32_t kLvtLevelTriggered = 1u << 15;

// The xAPIC's register page, which the caller maps uncached (kXApicWindowSize
// bytes) for init_local_apic; nothing when the CPU has no APIC, or has
// x2APIC, whose registers are MSRs.
inline constexpr uint64_t kXApicWindowSize = 4096;
[[nodiscard]] lib::Optional<mm::PhysicalAddress> xapic_register_page();

// Enables the local APIC (x2APIC when CPUID offers it), masks its local
// interrupts, accepts every priority and installs the spurious and error
// vectors and the end-of-interrupt. `xapic_registers` is the page above,
// mapped, or null. Returns the mode, None when the CPU has no APIC or its
// xAPIC registers were not mapped: then no device interrupt works.
[[nodiscard]] LocalApicMode init_local_apic(uint8_t* xapic_registers);
[[nodiscard]] LocalApicMode local_apic_mode();
[[nodiscard]] uint32_t local_apic_id();

[[nodiscard]] uint32_t read_local_apic(ApicRegister reg);
void write_local_apic(ApicRegister reg, uint32_t value);
void local_apic_end_of_interrupt();

// Wires LINT0 or LINT1 to NMI, as the MADT's local APIC NMI entries say.
void set_local_apic_nmi(uint8_t lint, bool active_low, bool level_triggered);

}  // namespace kernel::arch
