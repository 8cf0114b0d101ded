// A polled 16550 UART (COM1): the first console up and the one tests read.
#pragma once

#include <stddef.h>
#include <stdint.h>

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
    [[nodiscard]] bool init();
    bool present() const { return m_present; }
    uint16_t base() const { return m_base; }

    void write(const char* text, size_t length);
    void put_char(char c);

private:
    uint16_t m_base;
    bool m_present = false;
};

}  // namespace kernel::drivers
