// The 16550 UART driver: register names from the datasheet, polled I/O only.
#include "console/serial.hpp"

#include "arch/x86_64/io.hpp"

namespace kernel::console {

namespace {

// Register offsets from the base port (DLAB selects the divisor latch).
enum Register : uint16_t {
    kData = 0,        // THR on write, RBR on read (DLAB=0)
    kDivisorLow = 0,  // DLAB=1
    kInterruptEnable = 1,
    kDivisorHigh = 1,  // DLAB=1
    kFifoControl = 2,
    kLineControl = 3,
    kModemControl = 4,
    kLineStatus = 5,
};

constexpr uint8_t kLineControlDlab = 0x80;
constexpr uint8_t kLineControl8N1 = 0x03;
constexpr uint8_t kFifoEnableClear14 = 0xC7;  // enable, clear RX/TX, 14-byte threshold
constexpr uint8_t kModemDtrRtsOut2 = 0x0B;
constexpr uint8_t kModemLoopback = 0x1E;  // loopback with RTS, OUT1, OUT2
constexpr uint8_t kStatusDataReady = 0x01;
constexpr uint8_t kStatusTransmitEmpty = 0x20;
constexpr uint16_t kDivisor115200 = 1;  // 115200 / 115200
constexpr uint8_t kLoopbackProbe = 0xAE;

}  // namespace

bool Serial::init() {
    using arch::in8;
    using arch::out8;
    out8(m_base + kInterruptEnable, 0);  // polled: no interrupts
    out8(m_base + kLineControl, kLineControlDlab);
    out8(m_base + kDivisorLow, kDivisor115200 & 0xFF);
    out8(m_base + kDivisorHigh, kDivisor115200 >> 8);
    out8(m_base + kLineControl, kLineControl8N1);
    out8(m_base + kFifoControl, kFifoEnableClear14);

    out8(m_base + kModemControl, kModemLoopback);
    out8(m_base + kData, kLoopbackProbe);
    m_present = in8(m_base + kData) == kLoopbackProbe;

    out8(m_base + kModemControl, kModemDtrRtsOut2);
    return m_present;
}

void Serial::put_char(char c) {
    if (!m_present) return;
    while ((arch::in8(m_base + kLineStatus) & kStatusTransmitEmpty) == 0) {
    }
    arch::out8(m_base + kData, static_cast<uint8_t>(c));
}

void Serial::write(const char* text, size_t length) {
    for (size_t i = 0; i < length; ++i) {
        // Terminals and log readers expect CRLF from a serial line.
        if (text[i] == '\n') put_char('\r');
        put_char(text[i]);
    }
}

int Serial::read_byte(uint64_t max_polls) {
    if (!m_present) return -1;
    for (uint64_t i = 0; i < max_polls; ++i) {
        if (arch::in8(m_base + kLineStatus) & kStatusDataReady) return arch::in8(m_base + kData);
    }
    return -1;
}

}  // namespace kernel::console
