// panic(): the single way the kernel stops on a fatal error. It reports
// through the message stream (every console), lets a registered hook act
// (the test build leaves QEMU), and halts.
#include "lib/panic.hpp"

#include "arch/x86_64/io.hpp"
#include "lib/hooks.hpp"
#include "lib/log.hpp"

void panic(const char* format, ...) {
    using namespace kernel;
    asm volatile("cli");
    // A panic while panicking (e.g. a fault in the console) must not recurse.
    static bool s_panicking = false;
    if (s_panicking) arch::halt_forever();
    s_panicking = true;

    log::set_tone(log::Tone::Bad);
    log::print("\nPANIC: ");
    va_list arguments;
    va_start(arguments, format);
    log::vprintf(format, arguments);
    va_end(arguments);
    log::print("\n");
    log::set_tone(log::Tone::Normal);
    hooks::fatal_stop(hooks::FatalStop::Panic);
    arch::halt_forever();
}
