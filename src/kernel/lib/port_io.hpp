// The I/O-port interface legacy device drivers are written against: the
// kernel backs it with IN/OUT instructions, host tests with fake devices.
#pragma once

#include <stdint.h>

namespace kernel::lib {

class PortIo {
public:
    virtual uint8_t read8(uint16_t port) = 0;
    virtual void write8(uint16_t port, uint8_t value) = 0;

protected:
    // Implementations are never deleted through this interface.
    ~PortIo() = default;
};

// Lets a driver wait between polls of a device, so its time limits are real
// time whatever a port read costs: the kernel backs it with its calibrated
// timer (or, before it has one, port 0x80 writes of about a microsecond each);
// host tests advance a fake clock.
class Delay {
public:
    virtual void wait_microseconds(uint32_t microseconds) = 0;

protected:
    ~Delay() = default;
};

}  // namespace kernel::lib
