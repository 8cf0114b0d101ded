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
constexpr uint8_t kOcw2EndOfInterrupt = 0x20;  // non-specific: the line in service
constexpr uint8_t kOcw3ReadIsr = 0x0B;         // the next command-port read gives the ISR
constexpr uint8_t kCascadeIrq = 2;
constexpr uint8_t kLinesPerPic = 8;
constexpr uint16_t kPostCodePort = 0x80;

// Old PICs need a moment between initialisation words.
void write_slowly(uint16_t port, uint8_t value) {
    arch::out8(port, value);
    arch::out8(kPostCodePort, 0);
}

// Which PIC owns irq, and its bit there.
uint16_t command_port(uint8_t irq) {
    return irq < kLinesPerPic ? kMasterCommand : kSlaveCommand;
}
uint8_t line_bit(uint8_t irq) {
    return static_cast<uint8_t>(1u << (irq % kLinesPerPic));
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

void unmask_pic_8259_irq(uint8_t irq) {
    if (irq >= kLinesPerPic) unmask_pic_8259_irq(kCascadeIrq);
    const uint16_t data = irq < kLinesPerPic ? kMasterData : kSlaveData;
    arch::out8(data, static_cast<uint8_t>(arch::in8(data) & ~line_bit(irq)));
}

bool pic_8259_irq_in_service(uint8_t irq) {
    arch::out8(command_port(irq), kOcw3ReadIsr);
    if ((arch::in8(command_port(irq)) & line_bit(irq)) != 0) return true;
    if (irq >= kLinesPerPic) arch::out8(kMasterCommand, kOcw2EndOfInterrupt);
    return false;
}

void end_pic_8259_irq(uint8_t irq) {
    if (irq >= kLinesPerPic) arch::out8(kSlaveCommand, kOcw2EndOfInterrupt);
    arch::out8(kMasterCommand, kOcw2EndOfInterrupt);
}

}  // namespace kernel::drivers
