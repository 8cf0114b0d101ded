// The PCI functions of a machine, found by walking configuration space from bus 0 through every PCI-to-PCI
// bridge, and the names of their classes. Pure: it reads configuration space only through a ConfigSpace, which
// the kernel backs with ECAM or the 0xCF8/0xCFC ports (pci_config.hpp) and host tests with a fake bus.
#pragma once

#include <stdint.h>

namespace kernel::drivers::pci {

inline constexpr unsigned kBuses = 256;
inline constexpr uint8_t kDevicesPerBus = 32;
inline constexpr uint8_t kFunctionsPerDevice = 8;

struct Address {
    uint8_t bus = 0;
    uint8_t device = 0;    // below kDevicesPerBus
    uint8_t function = 0;  // below kFunctionsPerDevice
};

// Configuration space, 256 bytes per function through the ports and 4 KiB through ECAM.
class ConfigSpace {
public:
    // The 32-bit register at `offset` (4-byte aligned) of a function: 0xFFFFFFFF where no function answers,
    // or where this access cannot reach.
    virtual uint32_t read32(Address address, uint16_t offset) = 0;
    virtual void write8(Address address, uint16_t offset, uint8_t value) = 0;

protected:
    // Never deleted through this interface.
    ~ConfigSpace() = default;
};

// Registers of the header every function has (PCI Local Bus 3.0, 6.1), and of a PCI-to-PCI bridge's.
inline constexpr uint16_t kIdRegister = 0x00;          // vendor ID (low half), device ID
inline constexpr uint16_t kClassRegister = 0x08;       // revision, programming interface, subclass, base class
inline constexpr uint16_t kHeaderTypeRegister = 0x0C;  // header type in bits 16-23
inline constexpr uint16_t kBridgeBusRegister = 0x18;   // primary, secondary, subordinate bus numbers
inline constexpr uint16_t kNoVendor = 0xFFFF;          // what an empty slot reads
inline constexpr uint8_t kMultiFunction = 0x80;        // in the header type
inline constexpr uint8_t kHeaderTypeMask = 0x7F;
inline constexpr uint8_t kPciToPciBridgeHeader = 0x01;

struct Function {
    Address address;
    uint16_t vendor_id = 0;
    uint16_t device_id = 0;
    uint8_t base_class = 0;
    uint8_t subclass = 0;
    uint8_t prog_if = 0;
    uint8_t header_type = 0;    // without the multi-function bit
    uint8_t secondary_bus = 0;  // PCI-to-PCI bridges only
};

class FunctionVisitor {
public:
    virtual void visit(const Function& function) = 0;

protected:
    ~FunctionVisitor() = default;
};

struct ScanCount {
    uint32_t functions = 0;
    uint32_t buses = 0;
};

// Calls visitor.visit() for every function, bus by bus in the order they were found (bus 0 first), devices and
// functions in order within a bus. Each bus is read once at most, whatever the bridges claim: a bridge that
// names bus 0, or a bus already read, adds nothing, so the walk ends after at most 256 buses.
ScanCount scan(ConfigSpace& config, FunctionVisitor& visitor);

// "host bridge", "USB controller (xHCI)" ...; null for a class the table does not know.
[[nodiscard]] const char* class_name(uint8_t base_class, uint8_t subclass, uint8_t prog_if);

}  // namespace kernel::drivers::pci
