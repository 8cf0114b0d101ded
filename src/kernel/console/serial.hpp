// A polled 16550 UART (COM1): the first console up and the one tests read.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace kernel::console {

class Serial {
public:
    static constexpr uint16_t kCom1 = 0x3F8;

    explicit constexpr Serial(uint16_t base) : m_base(base) {}

    // Programs 115200 8N1 and checks the chip echoes in loopback mode, so a
    // PC without a serial port is detected instead of written into the void.
    [[nodiscard]] bool init();
    bool present() const { return m_present; }

    void write(const char* text, size_t length);
    void put_char(char c);

    // Reads one byte, waiting at most `max_polls` status reads; -1 if none.
    [[nodiscard]] int read_byte(uint64_t max_polls);

private:
    uint16_t m_base;
    bool m_present = false;
};

}  // namespace kernel::console
