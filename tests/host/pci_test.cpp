// Host tests for the PCI bus walk on a fake configuration space: functions, multi-function devices, bridges
// followed once each, and the class names.
#include "drivers/pci.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace {

using namespace kernel::drivers::pci;

// Functions placed at addresses, 256 bytes of configuration space each; everything else reads all ones.
class FakeBus final : public ConfigSpace {
public:
    using Key = std::tuple<uint8_t, uint8_t, uint8_t>;

    FakeBus& add(Address at, uint16_t vendor, uint16_t device, uint8_t base_class, uint8_t subclass,
                 uint8_t prog_if = 0, uint8_t header_type = 0) {
        std::vector<uint8_t>& space = m_functions[key(at)];
        space.assign(256, 0);
        put16(space, 0x00, vendor);
        put16(space, 0x02, device);
        space[0x09] = prog_if;
        space[0x0A] = subclass;
        space[0x0B] = base_class;
        space[0x0E] = header_type;
        return *this;
    }
    // A PCI-to-PCI bridge from `at`'s bus to `secondary`.
    FakeBus& bridge(Address at, uint8_t secondary, bool multi_function = false) {
        add(at, 0x8086, 0x244E, 0x06, 0x04, 0, kPciToPciBridgeHeader | (multi_function ? kMultiFunction : 0));
        std::vector<uint8_t>& space = m_functions[key(at)];
        space[0x18] = at.bus;
        space[0x19] = secondary;
        space[0x1A] = secondary;
        return *this;
    }

    uint32_t read32(Address address, uint16_t offset) override {
        EXPECT_EQ(offset % 4, 0);
        ++m_reads;
        ++m_reads_of_bus[address.bus];
        auto found = m_functions.find(key(address));
        if (found == m_functions.end() || offset + 4u > found->second.size()) return 0xFFFFFFFF;
        uint32_t value;
        std::memcpy(&value, found->second.data() + offset, 4);
        return value;
    }
    void write8(Address, uint16_t, uint8_t) override { ADD_FAILURE() << "the walk only reads"; }

    uint64_t reads() const { return m_reads; }
    uint64_t reads_of_bus(uint8_t bus) const {
        auto found = m_reads_of_bus.find(bus);
        return found == m_reads_of_bus.end() ? 0 : found->second;
    }

private:
    static Key key(Address a) { return {a.bus, a.device, a.function}; }
    static void put16(std::vector<uint8_t>& space, size_t offset, uint16_t value) {
        std::memcpy(space.data() + offset, &value, 2);
    }
    std::map<Key, std::vector<uint8_t>> m_functions;
    std::map<uint8_t, uint64_t> m_reads_of_bus;
    uint64_t m_reads = 0;
};

class Recorder final : public FunctionVisitor {
public:
    void visit(const Function& function) override { seen.push_back(function); }
    std::vector<std::string> addresses() const {
        std::vector<std::string> out;
        for (const Function& f : seen) {
            char text[16];
            std::snprintf(text, sizeof text, "%02x:%02x.%x", f.address.bus, f.address.device, f.address.function);
            out.push_back(text);
        }
        return out;
    }
    std::vector<Function> seen;
};

using Addresses = std::vector<std::string>;

TEST(PciScan, EmptyBusHasNoFunction) {
    FakeBus bus;
    Recorder recorder;
    const ScanCount count = scan(bus, recorder);
    EXPECT_EQ(count.functions, 0u);
    EXPECT_EQ(count.buses, 1u);
    EXPECT_TRUE(recorder.seen.empty());
    EXPECT_EQ(bus.reads(), kDevicesPerBus);  // one vendor read per empty slot
}

// QEMU's pc: the i440FX host bridge, the PIIX3 (ISA, IDE at .1, ACPI at .3, nothing at .2) and a VGA card.
TEST(PciScan, PcLikeBusListedInOrderWithEveryField) {
    FakeBus bus;
    bus.add({0, 0, 0}, 0x8086, 0x1237, 0x06, 0x00)
        .add({0, 1, 0}, 0x8086, 0x7000, 0x06, 0x01, 0, kMultiFunction)
        .add({0, 1, 1}, 0x8086, 0x7010, 0x01, 0x01, 0x80)
        .add({0, 1, 3}, 0x8086, 0x7113, 0x06, 0x80)
        .add({0, 2, 0}, 0x1234, 0x1111, 0x03, 0x00);
    Recorder recorder;
    const ScanCount count = scan(bus, recorder);
    EXPECT_EQ(count.functions, 5u);
    EXPECT_EQ(recorder.addresses(), (Addresses{"00:00.0", "00:01.0", "00:01.1", "00:01.3", "00:02.0"}));
    const Function& ide = recorder.seen[2];
    EXPECT_EQ(ide.vendor_id, 0x8086);
    EXPECT_EQ(ide.device_id, 0x7010);
    EXPECT_EQ(ide.base_class, 0x01);
    EXPECT_EQ(ide.subclass, 0x01);
    EXPECT_EQ(ide.prog_if, 0x80);
    EXPECT_EQ(ide.header_type, 0);
    EXPECT_EQ(recorder.seen[1].header_type, 0);  // the multi-function bit is not part of the type
}

// Some devices answer on every function number: without the multi-function bit only function 0 is theirs.
TEST(PciScan, SingleFunctionDeviceListedOnce) {
    FakeBus bus;
    bus.add({0, 4, 0}, 0x1AF4, 0x1000, 0x02, 0x00).add({0, 4, 1}, 0x1AF4, 0x1000, 0x02, 0x00);
    Recorder recorder;
    EXPECT_EQ(scan(bus, recorder).functions, 1u);
}

TEST(PciScan, BridgesFollowedToTheirSecondaryBuses) {
    FakeBus bus;
    bus.add({0, 0, 0}, 0x8086, 0x29C0, 0x06, 0x00)
        .bridge({0, 3, 0}, 5)
        .add({0, 7, 0}, 0x8086, 0x2922, 0x01, 0x06, 0x01)
        .bridge({5, 0, 0}, 9)
        .add({5, 1, 0}, 0x8086, 0x100E, 0x02, 0x00)
        .add({9, 0, 0}, 0x1B36, 0x000D, 0x0C, 0x03, 0x30);
    Recorder recorder;
    const ScanCount count = scan(bus, recorder);
    EXPECT_EQ(count.buses, 3u);
    EXPECT_EQ(recorder.addresses(), (Addresses{"00:00.0", "00:03.0", "00:07.0", "05:00.0", "05:01.0", "09:00.0"}));
    EXPECT_EQ(recorder.seen[1].secondary_bus, 5);
    EXPECT_EQ(bus.reads_of_bus(2), 0u);  // buses no bridge names are never read
}

// Bridges that name bus 0, their own bus or a bus another bridge named: each bus is still read once.
TEST(PciScan, EachBusReadOnceWhateverTheBridgesSay) {
    FakeBus bus;
    bus.bridge({0, 1, 0}, 0).bridge({0, 2, 0}, 1).bridge({0, 3, 0}, 1).bridge({1, 0, 0}, 1).bridge({1, 1, 0}, 0);
    Recorder recorder;
    const ScanCount count = scan(bus, recorder);
    EXPECT_EQ(count.buses, 2u);
    EXPECT_EQ(count.functions, 5u);
    EXPECT_LT(bus.reads_of_bus(1), 2u * kDevicesPerBus);  // once: a second pass would read every slot again
}

// A chain through every bus number, back to bus 0 at the end: 256 buses, then the walk stops.
TEST(PciScan, ChainThroughEveryBusEnds) {
    FakeBus bus;
    for (unsigned number = 0; number < kBuses; ++number)
        bus.bridge({static_cast<uint8_t>(number), 0, 0}, static_cast<uint8_t>(number + 1), true);
    Recorder recorder;
    const ScanCount count = scan(bus, recorder);
    EXPECT_EQ(count.buses, kBuses);
    EXPECT_EQ(count.functions, kBuses);
}

TEST(PciScan, MultiFunctionHostBridgeNamesItsBuses) {
    FakeBus bus;
    bus.add({0, 0, 0}, 0x1022, 0x1450, 0x06, 0x00, 0, kMultiFunction)
        .add({0, 0, 2}, 0x1022, 0x1450, 0x06, 0x00)
        .add({2, 4, 0}, 0x10EC, 0x8168, 0x02, 0x00);
    Recorder recorder;
    const ScanCount count = scan(bus, recorder);
    EXPECT_EQ(count.buses, 2u);
    EXPECT_EQ(recorder.addresses(), (Addresses{"00:00.0", "00:00.2", "02:04.0"}));
}

TEST(PciClassNames, CommonClassesNamed) {
    EXPECT_STREQ(class_name(0x06, 0x00, 0x00), "host bridge");
    EXPECT_STREQ(class_name(0x06, 0x01, 0x00), "ISA bridge");
    EXPECT_STREQ(class_name(0x06, 0x04, 0x01), "PCI-to-PCI bridge");
    EXPECT_STREQ(class_name(0x06, 0x80, 0x00), "bridge");
    EXPECT_STREQ(class_name(0x01, 0x01, 0x80), "IDE controller");
    EXPECT_STREQ(class_name(0x01, 0x06, 0x01), "SATA controller (AHCI)");
    EXPECT_STREQ(class_name(0x01, 0x06, 0x00), "SATA controller");
    EXPECT_STREQ(class_name(0x01, 0x08, 0x02), "NVMe controller");
    EXPECT_STREQ(class_name(0x01, 0x42, 0x00), "storage controller");
    EXPECT_STREQ(class_name(0x02, 0x00, 0x00), "Ethernet controller");
    EXPECT_STREQ(class_name(0x03, 0x00, 0x00), "VGA controller");
    EXPECT_STREQ(class_name(0x04, 0x03, 0x00), "HD audio controller");
    EXPECT_STREQ(class_name(0x0C, 0x03, 0x00), "USB controller (UHCI)");
    EXPECT_STREQ(class_name(0x0C, 0x03, 0x10), "USB controller (OHCI)");
    EXPECT_STREQ(class_name(0x0C, 0x03, 0x20), "USB controller (EHCI)");
    EXPECT_STREQ(class_name(0x0C, 0x03, 0x30), "USB controller (xHCI)");
    EXPECT_STREQ(class_name(0x0C, 0x03, 0xFE), "USB controller");
    EXPECT_STREQ(class_name(0x0C, 0x05, 0x00), "SMBus controller");
}

TEST(PciClassNames, UnknownClassesHaveNoName) {
    EXPECT_EQ(class_name(0xFF, 0x00, 0x00), nullptr);
    EXPECT_EQ(class_name(0x12, 0x00, 0x00), nullptr);
    EXPECT_EQ(class_name(0x00, 0x00, 0x00), nullptr);
}

}  // namespace
