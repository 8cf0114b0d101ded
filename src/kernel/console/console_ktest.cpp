// In-kernel tests of the consoles on the real (emulated) hardware.
#include "console/console.hpp"
#include "testing/ktest.hpp"

using namespace kernel;

// QEMU always has COM1; its loopback probe must have found it.
KTEST(serial_port_detected) {
    KEXPECT(console::serial().present());
}

KTEST(a_screen_console_is_attached) {
    KEXPECT(console::has_screen());
}
