// panic(): the single way the kernel stops on a fatal error. It reports on
// every console and halts (test builds leave QEMU with the panic exit code).
#include "lib/panic.hpp"

#include "arch/x86_64/io.hpp"
#include "console/console.hpp"

#if MINK_TEST_BUILD
#include "testing/harness.hpp"
#endif

void panic(const char* format, ...) {
    using namespace kernel;
    asm volatile("cli");
    // A panic while panicking (e.g. a fault in the console) must not recurse.
    static bool s_panicking = false;
    if (s_panicking) arch::halt_forever();
    s_panicking = true;

    console::set_tone(console::Tone::Bad);
    console::print("\nPANIC: ");
    va_list arguments;
    va_start(arguments, format);
    console::vprintf(format, arguments);
    va_end(arguments);
    console::print("\n");
    console::set_tone(console::Tone::Normal);
#if MINK_TEST_BUILD
    testing::finish(testing::Outcome::Panicked);
#endif
    arch::halt_forever();
}
