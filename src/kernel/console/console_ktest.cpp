// In-kernel tests of the console on the real (emulated) hardware.
#include "console/console.hpp"
#include "testing/ktest.hpp"

using namespace kernel;

KTEST(a_screen_console_is_attached) {
    KEXPECT(console::has_screen());
}
