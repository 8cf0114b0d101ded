// The prompt's loop: decode the bytes the keyboard and COM1 interrupts
// queued, echo them through one line editor, sleep when there are none.
#include "console/prompt.hpp"

#include "arch/x86_64/interrupts.hpp"
#include "console/line_editor.hpp"
#include "console/terminal_input.hpp"
#include "drivers/ps2_keyboard.hpp"
#include "drivers/ps2_keyboard_decoder.hpp"
#include "drivers/serial_input.hpp"
#include "lib/log.hpp"

namespace kernel::console {

namespace {

constexpr const char* kPrompt = "> ";

constinit drivers::Ps2KeyboardDecoder g_keyboard;
constinit TerminalInput g_terminal;
constinit LineEditor g_editor;

// What arrived, at most one byte from each input so neither starves the
// other.
struct Arrived {
    lib::Optional<uint8_t> keyboard;
    lib::Optional<uint8_t> serial;
};

// The next bytes, or a sleep until an interrupt when there are none. The
// check and the sleep happen with interrupts off up to `sti; hlt`, so a byte
// queued in between wakes the loop rather than waiting for the next one.
Arrived next_bytes() {
    arch::disable_interrupts();
    const Arrived arrived{drivers::next_keyboard_byte(), drivers::next_serial_byte()};
    if (arrived.keyboard || arrived.serial) {
        arch::enable_interrupts();
        return arrived;
    }
    arch::enable_interrupts_and_wait();
    return {};
}

void type(char c) {
    const LineEditor::Echo shown = g_editor.type(c);
    log::write(shown.text, shown.length);
    if (shown.line_done) log::print(kPrompt);
}

void type_keyboard_byte(uint8_t byte) {
    const auto event = g_keyboard.feed(byte);
    if (event && event->pressed && event->ascii != 0) type(event->ascii);
}

void type_serial_byte(uint8_t byte) {
    if (const auto c = g_terminal.feed(byte)) type(*c);
}

}  // namespace

void run_prompt(Inputs inputs) {
    if (!inputs.keyboard && !inputs.serial)
        for (;;) arch::enable_interrupts_and_wait();
    log::print("Type here: keys echo on the screen and serial.\n");
    log::print(kPrompt);
    for (;;) {
        const Arrived arrived = next_bytes();
        if (arrived.keyboard) type_keyboard_byte(*arrived.keyboard);
        if (arrived.serial) type_serial_byte(*arrived.serial);
    }
}

}  // namespace kernel::console
