// A polled 16550 UART (COM1): the first console up and the one tests read.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "config.hpp"

namespace kernel::drivers {

class Serial {
public:
    static constexpr uint16_t kCom1 = COM1_PORT;

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
    static constexpr uint8_t kStatusDataReady = 0x01;
    static constexpr uint8_t kStatusTransmitEmpty = 0x20;

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
