// Host tests for reading the FADT's reset register: each address space mink writes, and each it refuses.
#include "drivers/reset_register.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace {

using kernel::acpi::AddressSpace;
using kernel::acpi::ResetRegister;
using kernel::drivers::plan_reset_write;
using kernel::drivers::ResetWrite;
using Kind = ResetWrite::Kind;

ResetRegister reset_register(uint8_t space, uint64_t address, uint8_t value = 0x06) {
    ResetRegister reset;
    reset.supported = true;
    reset.address.address_space = space;
    reset.address.bit_width = 8;
    reset.address.address = address;
    reset.value = value;
    return reset;
}

constexpr auto kIo = static_cast<uint8_t>(AddressSpace::SystemIo);
constexpr auto kMemory = static_cast<uint8_t>(AddressSpace::SystemMemory);
constexpr auto kPci = static_cast<uint8_t>(AddressSpace::PciConfiguration);

// q35's ICH9: the reset control register at port 0xCF9.
TEST(ResetRegister, IoPortWritten) {
    const ResetWrite write = plan_reset_write(reset_register(kIo, 0xCF9, 0x0F));
    EXPECT_EQ(write.kind, Kind::IoPort);
    EXPECT_EQ(write.address, 0xCF9u);
    EXPECT_EQ(write.value, 0x0F);
    EXPECT_EQ(plan_reset_write(reset_register(kIo, 0xFFFF)).kind, Kind::IoPort);
}

TEST(ResetRegister, PortBeyond16BitsRefused) {
    EXPECT_EQ(plan_reset_write(reset_register(kIo, 0x10000)).kind, Kind::Unsupported);
    EXPECT_EQ(plan_reset_write(reset_register(kIo, 0xFFFF'0000'0000'0CF9)).kind, Kind::Unsupported);
}

TEST(ResetRegister, MemoryWrittenBelowThePhysicalLimit) {
    const ResetWrite write = plan_reset_write(reset_register(kMemory, 0xFED0'3000));
    EXPECT_EQ(write.kind, Kind::Memory);
    EXPECT_EQ(write.address, 0xFED0'3000u);
    EXPECT_EQ(plan_reset_write(reset_register(kMemory, 0)).kind, Kind::Unsupported);
    EXPECT_EQ(plan_reset_write(reset_register(kMemory, 1ull << 52)).kind, Kind::Unsupported);
}

// Device 0x1F, function 3, register 0x44 on bus 0.
TEST(ResetRegister, PciRegisterDecoded) {
    const ResetWrite write = plan_reset_write(reset_register(kPci, 0x0000'001F'0003'0044));
    ASSERT_EQ(write.kind, Kind::PciConfig);
    EXPECT_EQ(write.function.bus, 0);
    EXPECT_EQ(write.function.device, 0x1F);
    EXPECT_EQ(write.function.function, 3);
    EXPECT_EQ(write.offset, 0x44);
}

TEST(ResetRegister, PciAddressesThatDoNotFitRefused) {
    EXPECT_EQ(plan_reset_write(reset_register(kPci, 0x0000'0020'0000'0044)).kind, Kind::Unsupported);  // device 32
    EXPECT_EQ(plan_reset_write(reset_register(kPci, 0x0000'0001'0008'0044)).kind, Kind::Unsupported);  // function 8
    EXPECT_EQ(plan_reset_write(reset_register(kPci, 0x0000'0001'0000'0100)).kind, Kind::Unsupported);  // register 256
    EXPECT_EQ(plan_reset_write(reset_register(kPci, 0x0001'0001'0000'0044)).kind, Kind::Unsupported);  // bits 48-63
}

// Embedded controller, SMBus, PCC, functional fixed hardware, and spaces no specification names.
TEST(ResetRegister, OtherAddressSpacesRefused) {
    for (uint8_t space : {3, 4, 5, 0x0A, 0x7F, 0x80, 0xFF})
        EXPECT_EQ(plan_reset_write(reset_register(space, 0xCF9)).kind, Kind::Unsupported) << int{space};
}

}  // namespace
