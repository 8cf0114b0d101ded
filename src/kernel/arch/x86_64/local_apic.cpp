// Local APIC bring-up and register access in both modes.
#include "arch/x86_64/local_apic.hpp"

#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/interrupts.hpp"
#include "lib/mmio.hpp"

namespace kernel::arch {

namespace {

constexpr uint32_t kMsrApicBase = 0x1B;
constexpr uint64_t kApicBaseEnable = 1ull << 11;
constexpr uint64_t kApicBaseX2Apic = 1ull << 10;
constexpr uint64_t kApicBaseAddressMask = 0x000F'FFFF'FFFF'F000ull;
constexpr uint32_t kX2ApicMsrBase = 0x800;
constexpr uint32_t kCpuidEdxApic = 1u << 9;
constexpr uint32_t kCpuidEcxX2Apic = 1u << 21;
constexpr uint32_t kSpuriousEnable = 1u << 8;

constinit LocalApicMode g_mode = LocalApicMode::None;
constinit uint8_t* g_registers = nullptr;  // the xAPIC page, mapped uncached

void acknowledge(uint8_t) {
    local_apic_end_of_interrupt();
}

}  // namespace

lib::Optional<mm::PhysicalAddress> xapic_register_page() {
    const CpuidResult features = cpuid(kCpuidFeatures);
    if ((features.edx & kCpuidEdxApic) == 0 || (features.ecx & kCpuidEcxX2Apic) != 0) return lib::kNone;
    return mm::PhysicalAddress(read_msr(kMsrApicBase) & kApicBaseAddressMask);
}

LocalApicMode init_local_apic(uint8_t* xapic_registers) {
    const CpuidResult features = cpuid(kCpuidFeatures);
    if ((features.edx & kCpuidEdxApic) == 0) return LocalApicMode::None;
    const uint64_t base = read_msr(kMsrApicBase);
    if (features.ecx & kCpuidEcxX2Apic) {
        // xAPIC must be enabled before x2APIC may be (SDM 10.12.5).
        write_msr(kMsrApicBase, base | kApicBaseEnable);
        write_msr(kMsrApicBase, base | kApicBaseEnable | kApicBaseX2Apic);
        g_mode = LocalApicMode::X2Apic;
    } else {
        if (xapic_registers == nullptr) return LocalApicMode::None;
        g_registers = xapic_registers;
        write_msr(kMsrApicBase, base | kApicBaseEnable);
        g_mode = LocalApicMode::XApic;
    }
    mark_spurious_vector(kSpuriousApicVector);
    write_local_apic(ApicRegister::TaskPriority, 0);
    write_local_apic(ApicRegister::LvtTimer, kLvtMasked);
    write_local_apic(ApicRegister::LvtLint0, kLvtMasked);
    write_local_apic(ApicRegister::LvtLint1, kLvtMasked);
    write_local_apic(ApicRegister::LvtError, kLocalApicErrorVector);
    write_local_apic(ApicRegister::SpuriousVector, kSpuriousEnable | kSpuriousApicVector);
    set_end_of_interrupt(acknowledge);
    return g_mode;
}

LocalApicMode local_apic_mode() {
    return g_mode;
}

uint32_t local_apic_id() {
    const uint32_t id = read_local_apic(ApicRegister::Id);
    return g_mode == LocalApicMode::X2Apic ? id : id >> 24;
}

uint32_t read_local_apic(ApicRegister reg) {
    const uint32_t offset = static_cast<uint32_t>(reg);
    if (g_mode == LocalApicMode::X2Apic) return static_cast<uint32_t>(read_msr(kX2ApicMsrBase + offset / 16));
    return lib::mmio_read(reinterpret_cast<const uint32_t*>(g_registers + offset));
}

void write_local_apic(ApicRegister reg, uint32_t value) {
    const uint32_t offset = static_cast<uint32_t>(reg);
    if (g_mode == LocalApicMode::X2Apic)
        write_msr(kX2ApicMsrBase + offset / 16, value);
    else
        lib::mmio_write(reinterpret_cast<uint32_t*>(g_registers + offset), value);
}

void local_apic_end_of_interrupt() {
    write_local_apic(ApicRegister::EndOfInterrupt, 0);
}

void set_local_apic_nmi(uint8_t lint, bool active_low, bool level_triggered) {
    if (lint > 1) return;
    const uint32_t entry =
        kLvtDeliveryNmi | (active_low ? kLvtActiveLow : 0) | (level_triggered ? kLvtLevelTriggered : 0);
    write_local_apic(lint == 0 ? ApicRegister::LvtLint0 : ApicRegister::LvtLint1, entry);
}

}  // namespace kernel::arch
