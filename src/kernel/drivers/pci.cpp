// The bus walk: a queue of bus numbers, each taken once, fed by bridges; and the class names, one table.
#include "drivers/pci.hpp"

#include <stddef.h>

namespace kernel::drivers::pci {

namespace {

// Bus numbers waiting to be read, each one admitted once.
class BusQueue {
public:
    void add(uint8_t bus) {
        if (m_seen[bus]) return;
        m_seen[bus] = true;
        m_buses[m_tail++] = bus;
    }
    [[nodiscard]] bool next(uint8_t& bus) {
        if (m_head == m_tail) return false;
        bus = m_buses[m_head++];
        return true;
    }

private:
    bool m_seen[kBuses] = {};
    uint8_t m_buses[kBuses] = {};
    size_t m_head = 0;
    size_t m_tail = 0;  // at most kBuses: add() admits each bus once
};

uint16_t vendor_of(ConfigSpace& config, Address address) {
    return static_cast<uint16_t>(config.read32(address, kIdRegister));
}

Function read_function(ConfigSpace& config, Address address) {
    const uint32_t ids = config.read32(address, kIdRegister);
    const uint32_t classes = config.read32(address, kClassRegister);
    Function function;
    function.address = address;
    function.vendor_id = static_cast<uint16_t>(ids);
    function.device_id = static_cast<uint16_t>(ids >> 16);
    function.prog_if = static_cast<uint8_t>(classes >> 8);
    function.subclass = static_cast<uint8_t>(classes >> 16);
    function.base_class = static_cast<uint8_t>(classes >> 24);
    function.header_type = static_cast<uint8_t>(config.read32(address, kHeaderTypeRegister) >> 16) & kHeaderTypeMask;
    if (function.header_type == kPciToPciBridgeHeader)
        function.secondary_bus = static_cast<uint8_t>(config.read32(address, kBridgeBusRegister) >> 8);
    return function;
}

constexpr uint8_t kBridgeClass = 0x06;
constexpr uint8_t kHostBridgeSubclass = 0x00;

void scan_device(ConfigSpace& config, FunctionVisitor& visitor, Address address, BusQueue& queue, ScanCount& count) {
    if (vendor_of(config, address) == kNoVendor) return;
    const uint8_t header = static_cast<uint8_t>(config.read32(address, kHeaderTypeRegister) >> 16);
    const uint8_t functions = (header & kMultiFunction) != 0 ? kFunctionsPerDevice : 1;
    for (uint8_t number = 0; number < functions; ++number) {
        address.function = number;
        if (number != 0 && vendor_of(config, address) == kNoVendor) continue;
        const Function function = read_function(config, address);
        visitor.visit(function);
        ++count.functions;
        if (function.header_type == kPciToPciBridgeHeader) queue.add(function.secondary_bus);
        // A multi-function host bridge at 00:00: function N is the host controller of bus N.
        if (address.bus == 0 && address.device == 0 && number != 0 && function.base_class == kBridgeClass &&
            function.subclass == kHostBridgeSubclass)
            queue.add(number);
    }
}

}  // namespace

ScanCount scan(ConfigSpace& config, FunctionVisitor& visitor) {
    BusQueue queue;
    queue.add(0);
    ScanCount count;
    for (uint8_t bus; queue.next(bus);) {
        ++count.buses;
        for (uint8_t device = 0; device < kDevicesPerBus; ++device)
            scan_device(config, visitor, Address{bus, device, 0}, queue, count);
    }
    return count;
}

namespace {

constexpr int kAny = -1;

struct ClassName {
    uint8_t base_class;
    int subclass;  // or kAny
    int prog_if;   // or kAny
    const char* name;
};

// The first entry that matches wins: the exact ones come before their class's catch-all. From the PCI Code and
// ID Assignment Specification.
constexpr ClassName kClassNames[] = {
    {0x00, 0x01, kAny, "VGA-compatible unclassified device"},
    {0x01, 0x00, kAny, "SCSI controller"},
    {0x01, 0x01, kAny, "IDE controller"},
    {0x01, 0x05, kAny, "ATA controller"},
    {0x01, 0x06, 0x01, "SATA controller (AHCI)"},
    {0x01, 0x06, kAny, "SATA controller"},
    {0x01, 0x07, kAny, "SAS controller"},
    {0x01, 0x08, 0x02, "NVMe controller"},
    {0x01, 0x08, kAny, "non-volatile memory controller"},
    {0x01, kAny, kAny, "storage controller"},
    {0x02, 0x00, kAny, "Ethernet controller"},
    {0x02, kAny, kAny, "network controller"},
    {0x03, 0x00, kAny, "VGA controller"},
    {0x03, kAny, kAny, "display controller"},
    {0x04, 0x01, kAny, "audio device"},
    {0x04, 0x03, kAny, "HD audio controller"},
    {0x04, kAny, kAny, "multimedia controller"},
    {0x05, kAny, kAny, "memory controller"},
    {0x06, 0x00, kAny, "host bridge"},
    {0x06, 0x01, kAny, "ISA bridge"},
    {0x06, 0x04, kAny, "PCI-to-PCI bridge"},
    {0x06, 0x07, kAny, "CardBus bridge"},
    {0x06, kAny, kAny, "bridge"},
    {0x07, 0x00, kAny, "serial controller"},
    {0x07, kAny, kAny, "communication controller"},
    {0x08, kAny, kAny, "system peripheral"},
    {0x09, kAny, kAny, "input device controller"},
    {0x0C, 0x03, 0x00, "USB controller (UHCI)"},
    {0x0C, 0x03, 0x10, "USB controller (OHCI)"},
    {0x0C, 0x03, 0x20, "USB controller (EHCI)"},
    {0x0C, 0x03, 0x30, "USB controller (xHCI)"},
    {0x0C, 0x03, kAny, "USB controller"},
    {0x0C, 0x05, kAny, "SMBus controller"},
    {0x0C, kAny, kAny, "serial bus controller"},
    {0x0D, kAny, kAny, "wireless controller"},
};

constexpr bool matches(int wanted, uint8_t value) {
    return wanted == kAny || wanted == value;
}

}  // namespace

const char* class_name(uint8_t base_class, uint8_t subclass, uint8_t prog_if) {
    for (const ClassName& entry : kClassNames)
        if (entry.base_class == base_class && matches(entry.subclass, subclass) && matches(entry.prog_if, prog_if))
            return entry.name;
    return nullptr;
}

}  // namespace kernel::drivers::pci
