// The FADT's reset register turned into a write mink knows how to make, or refused. Pure, so host tests try
// every address space and every malformed address.
#pragma once

#include <stdint.h>

#include "acpi/fadt.hpp"
#include "acpi/tables.hpp"
#include "drivers/pci.hpp"

namespace kernel::drivers {

struct ResetWrite {
    enum class Kind : uint8_t { IoPort, Memory, PciConfig, Unsupported };
    Kind kind = Kind::Unsupported;
    uint64_t address = 0;   // IoPort: the port; Memory: the physical address
    pci::Address function;  // PciConfig: a function on bus 0 of segment 0
    uint16_t offset = 0;    // PciConfig: the register
    uint8_t value = 0;
};

inline constexpr uint64_t kMaxIoPort = 0xFFFF;
inline constexpr uint64_t kPhysicalAddressLimit = 1ull << 52;
inline constexpr uint16_t kPciRegisters = 256;  // what the ports reach, and all ECAM needs for a reset register

// ACPI 6.5, 5.2.3.2: in PCI configuration space the address holds the device in bits 32-47, the function in
// 16-31 and the register in 0-15, bits 48-63 being 0; the bus is 0. Anything that does not fit is refused.
[[nodiscard]] constexpr ResetWrite plan_reset_write(const acpi::ResetRegister& reset) {
    const uint64_t address = reset.address.address;
    ResetWrite write;
    write.value = reset.value;
    switch (static_cast<acpi::AddressSpace>(reset.address.address_space)) {
    case acpi::AddressSpace::SystemIo:
        if (address <= kMaxIoPort) {
            write.kind = ResetWrite::Kind::IoPort;
            write.address = address;
        }
        return write;
    case acpi::AddressSpace::SystemMemory:
        if (address != 0 && address < kPhysicalAddressLimit) {
            write.kind = ResetWrite::Kind::Memory;
            write.address = address;
        }
        return write;
    case acpi::AddressSpace::PciConfiguration: {
        const uint64_t device = (address >> 32) & 0xFFFF;
        const uint64_t function = (address >> 16) & 0xFFFF;
        const uint64_t offset = address & 0xFFFF;
        if ((address >> 48) == 0 && device < pci::kDevicesPerBus && function < pci::kFunctionsPerDevice &&
            offset < kPciRegisters) {
            write.kind = ResetWrite::Kind::PciConfig;
            write.function = {0, static_cast<uint8_t>(device), static_cast<uint8_t>(function)};
            write.offset = static_cast<uint16_t>(offset);
        }
        return write;
    }
    }
    return write;  // embedded controller, SMBus, functional fixed hardware ...: not written by mink
}

}  // namespace kernel::drivers
