// 8259 initialisation words, sent to both PICs.
#include "drivers/pic_8259.hpp"

#include "arch/x86_64/io.hpp"

namespace kernel::drivers {

namespace {

constexpr uint16_t kMasterCommand = 0x20, kMasterData = 0x21;
constexpr uint16_t kSlaveCommand = 0xA0, kSlaveData = 0xA1;
constexpr uint8_t kIcw1Init = 0x10, kIcw1NeedsIcw4 = 0x01;
constexpr uint8_t kIcw3SlaveOnIrq2 = 1u << 2, kIcw3SlaveIdentity = 2;
constexpr uint8_t kIcw4Mode8086 = 0x01;
constexpr uint8_t kMaskAll = 0xFF;
constexpr uint16_t kPostCodePort = 0x80;

// Old PICs need a moment between initialisation words.
void write_slowly(uint16_t port, uint8_t value) {
    arch::out8(port, value);
    arch::out8(kPostCodePort, 0);
}

}  // namespace

void remap_and_mask_pic_8259(uint8_t base) {
    write_slowly(kMasterCommand, kIcw1Init | kIcw1NeedsIcw4);
    write_slowly(kSlaveCommand, kIcw1Init | kIcw1NeedsIcw4);
    write_slowly(kMasterData, base);
    write_slowly(kSlaveData, static_cast<uint8_t>(base + 8));
    write_slowly(kMasterData, kIcw3SlaveOnIrq2);
    write_slowly(kSlaveData, kIcw3SlaveIdentity);
    write_slowly(kMasterData, kIcw4Mode8086);
    write_slowly(kSlaveData, kIcw4Mode8086);
    write_slowly(kMasterData, kMaskAll);
    write_slowly(kSlaveData, kMaskAll);
}

}  // namespace kernel::drivers
