// The CRT controller's cursor-location registers, through its index/data ports.
#include "drivers/vga_cursor.hpp"

#include "arch/x86_64/io.hpp"

namespace kernel::drivers {

namespace {

constexpr uint16_t kCrtcIndex = 0x3D4;
constexpr uint16_t kCrtcData = 0x3D5;
constexpr uint8_t kCursorLocationHigh = 0x0E;
constexpr uint8_t kCursorLocationLow = 0x0F;

}  // namespace

void move_vga_cursor(uint16_t cell) {
    arch::out8(kCrtcIndex, kCursorLocationHigh);
    arch::out8(kCrtcData, static_cast<uint8_t>(cell >> 8));
    arch::out8(kCrtcIndex, kCursorLocationLow);
    arch::out8(kCrtcData, static_cast<uint8_t>(cell));
}

}  // namespace kernel::drivers
