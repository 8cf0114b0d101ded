// A 16550 UART (COM1): the first console up and the one tests read. It
// writes by polling; what arrives is read by the interrupt serial_input
// turns on.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/span.hpp"
#include "x86_constants.hpp"

namespace kernel::drivers {

class Serial {
public:
    static constexpr uint16_t kCom1 = COM1_PORT;

    // Register offsets from the base port (DLAB selects the divisor latch).
    // Those the trampoline's early serial uses too come from x86_constants.hpp.
    enum Register : uint16_t {
        kData = UART_THR,        // THR on write, RBR on read (DLAB=0)
        kDivisorLow = UART_DLL,  // DLAB=1
        kInterruptEnable = UART_IER,
        kDivisorHigh = UART_DLM,  // DLAB=1
        kFifoControl = UART_FCR,
        kLineControl = UART_LCR,
        kModemControl = 4,
        kLineStatus = UART_LSR,
    };
    static constexpr uint8_t kStatusDataReady = 0x01;
    static constexpr uint8_t kStatusTransmitEmpty = UART_LSR_THR_EMPTY;

    explicit constexpr Serial(uint16_t base) : m_base(base) {}

    // Programs 115200 8N1 and checks the chip echoes in loopback mode, so a
    // PC without a serial port is detected instead of written into the void.
    // No interrupt is enabled.
    [[nodiscard]] bool init();
    bool present() const { return m_present; }
    uint16_t base() const { return m_base; }

    void write(const char* text, size_t length);
    void put_char(char c);

    // Interrupts when a byte arrives (and, with the FIFO, when fewer bytes
    // than its threshold have waited a few byte times); OUT2, which init()
    // sets, lets the interrupt out to the PC's IRQ 4. Call with the
    // interrupt's handler in place.
    void enable_receive_interrupt();
    // The bytes the receive FIFO holds, at most out.size() of them; returns
    // how many were stored. The limit keeps a data-ready bit that never
    // clears (a UART that went away reads 0xFF) from holding the CPU.
    [[nodiscard]] size_t read_received(lib::Span<uint8_t> out);

private:
    uint16_t m_base;
    bool m_present = false;
};

// COM1, shared: the console writes through it and serial input reads from it.
Serial& com1();

}  // namespace kernel::drivers
