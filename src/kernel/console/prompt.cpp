// The prompt's loop: decode the bytes the keyboard interrupt queued, echo
// them through the line editor, sleep when there are none.
#include "console/prompt.hpp"

#include "arch/x86_64/interrupts.hpp"
#include "console/line_editor.hpp"
#include "drivers/ps2_keyboard.hpp"
#include "drivers/ps2_keyboard_decoder.hpp"
#include "lib/log.hpp"

namespace kernel::console {

namespace {

constexpr const char* kPrompt = "> ";

constinit drivers::Ps2KeyboardDecoder g_decoder;
constinit LineEditor g_editor;

// The next byte, or a sleep until an interrupt when there is none. The check
// and the sleep happen with interrupts off up to `sti; hlt`, so a byte queued
// in between wakes the loop rather than waiting for the next one.
lib::Optional<uint8_t> next_byte() {
    arch::disable_interrupts();
    const auto byte = drivers::next_keyboard_byte();
    if (byte) {
        arch::enable_interrupts();
        return byte;
    }
    arch::enable_interrupts_and_wait();
    return {};
}

void echo(uint8_t byte) {
    const auto event = g_decoder.feed(byte);
    if (!event || !event->pressed || event->ascii == 0) return;
    const LineEditor::Echo shown = g_editor.type(event->ascii);
    log::write(shown.text, shown.length);
    if (shown.line_done) log::print(kPrompt);
}

}  // namespace

void run_prompt(bool has_keyboard) {
    if (!has_keyboard)
        for (;;) arch::enable_interrupts_and_wait();
    log::print("Type here: keys echo on the screen and serial.\n");
    log::print(kPrompt);
    for (;;)
        if (const auto byte = next_byte()) echo(*byte);
}

}  // namespace kernel::console
