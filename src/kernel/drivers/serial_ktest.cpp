// In-kernel tests of the 16550 driver on the real (emulated) hardware.
#include "drivers/serial.hpp"
#include "testing/ktest.hpp"

using namespace kernel;

// QEMU always has COM1: the loopback probe must find it (re-programming the
// port with the same settings is harmless mid-boot).
KTEST(serial_port_detected) {
    drivers::Serial com1(drivers::Serial::kCom1);
    KEXPECT(com1.init());
}
