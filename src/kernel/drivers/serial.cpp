// The 16550 UART driver: register names from the datasheet, polled writes,
// reads for the receive interrupt's handler.
#include "drivers/serial.hpp"

#include "arch/x86_64/io.hpp"
#include "config.hpp"

namespace kernel::drivers {

namespace {

// The set-up the trampoline's early serial writes too (x86_constants.hpp).
constexpr uint8_t kLineControlDlab = UART_LCR_DLAB;
constexpr uint8_t kLineControl8N1 = UART_LCR_8N1;
constexpr uint8_t kFifoInit = UART_FCR_INIT;
constexpr uint16_t kDivisor115200 = UART_DIVISOR_115200;

// Modem Control. On a PC the UART's interrupt output reaches the ISA IRQ
// line only while OUT2 is set: with it clear, no interrupt gets out.
constexpr uint8_t kModemDtr = 0x01;
constexpr uint8_t kModemRts = 0x02;
constexpr uint8_t kModemOut1 = 0x04;
constexpr uint8_t kModemOut2 = 0x08;
constexpr uint8_t kModemLoopback = 0x10;

// Interrupt Enable: "received data available" (and the FIFO's timeout).
constexpr uint8_t kInterruptReceivedData = 0x01;

constexpr uint8_t kLoopbackProbe = 0xAE;
// Many byte times; the trampoline's early serial waits as long (config.hpp).
constexpr uint32_t kTransmitPolls = SERIAL_TRANSMIT_POLLS;

constinit Serial g_com1{Serial::kCom1};

}  // namespace

bool Serial::init() {
    using arch::in8;
    using arch::out8;
    out8(m_base + kInterruptEnable, 0);
    out8(m_base + kLineControl, kLineControlDlab);
    out8(m_base + kDivisorLow, kDivisor115200 & 0xFF);
    out8(m_base + kDivisorHigh, kDivisor115200 >> 8);
    out8(m_base + kLineControl, kLineControl8N1);
    out8(m_base + kFifoControl, kFifoInit);

    out8(m_base + kModemControl, kModemLoopback | kModemRts | kModemOut1 | kModemOut2);
    out8(m_base + kData, kLoopbackProbe);
    m_present = in8(m_base + kData) == kLoopbackProbe;

    out8(m_base + kModemControl, kModemDtr | kModemRts | kModemOut2);
    return m_present;
}

void Serial::put_char(char c) {
    if (!m_present) return;
    // Bounded: a UART that stops draining (unplugged hardware flow control,
    // a chip that went away) costs a dropped character, never a hang.
    for (uint32_t poll = 0; poll < kTransmitPolls; ++poll)
        if (arch::in8(m_base + kLineStatus) & kStatusTransmitEmpty) break;
    arch::out8(m_base + kData, static_cast<uint8_t>(c));
}

void Serial::write(const char* text, size_t length) {
    for (size_t i = 0; i < length; ++i) {
        // Terminals and log readers expect CRLF from a serial line.
        if (text[i] == '\n') put_char('\r');
        put_char(text[i]);
    }
}

void Serial::enable_receive_interrupt() {
    if (!m_present) return;
    arch::out8(m_base + kInterruptEnable, kInterruptReceivedData);
}

size_t Serial::read_received(lib::Span<uint8_t> out) {
    if (!m_present) return 0;
    size_t count = 0;
    while (count < out.size() && (arch::in8(m_base + kLineStatus) & kStatusDataReady) != 0)
        out[count++] = arch::in8(m_base + kData);
    return count;
}

Serial& com1() {
    return g_com1;
}

}  // namespace kernel::drivers
