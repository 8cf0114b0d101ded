// The shell's loop: sleep until a byte is typed, decode it, echo it through
// one line editor, and run the line on Enter.
#include "shell/shell.hpp"

#include <stdint.h>

#include "console/line_editor.hpp"
#include "console/terminal_input.hpp"
#include "drivers/ps2_keyboard_decoder.hpp"
#include "drivers/typed_input.hpp"
#include "lib/log.hpp"
#include "lib/optional.hpp"
#include "shell/command_line.hpp"
#include "shell/commands.hpp"

namespace kernel::shell {

namespace {

constexpr const char* kPrompt = "> ";

// The shell's state. It lives on the shell thread's stack: no other thread
// sees it, so it needs no lock.
class Shell {
public:
    [[noreturn]] void run() {
        log::print("Type here: keys echo on the screen and serial; `help` lists the commands.\n");
        log::print(kPrompt);
        for (;;) {
            const lib::Optional<char> c = decode(drivers::wait_for_typed_byte());
            if (!c) continue;
            const console::LineEditor::Echo shown = m_editor.type(*c);
            log::write(shown.text, shown.length);
            if (!shown.line_done) continue;
            run_line();
            log::print(kPrompt);
        }
    }

private:
    // The character a typed byte makes, if any: the keyboard's bytes are
    // scan codes (a key press with an ASCII meaning types it), COM1's are
    // what a terminal sends.
    lib::Optional<char> decode(drivers::TypedByte typed) {
        if (typed.from == drivers::TypedByte::From::Serial) return m_terminal.feed(typed.byte);
        const auto event = m_keyboard.feed(typed.byte);
        if (event && event->pressed && event->ascii != 0) return event->ascii;
        return {};
    }

    // A line too long for the editor is refused whole: what it holds is not
    // what was typed, and running the part that fitted could do harm.
    void run_line() {
        if (m_editor.too_long()) {
            log::printf("line too long (over %zu characters): discarded\n", console::LineEditor::kCapacity);
            return;
        }
        const CommandLine line(m_editor.line(), m_editor.length());
        if (!line.empty()) run_command(line);
    }

    drivers::Ps2KeyboardDecoder m_keyboard;
    console::TerminalInput m_terminal;
    console::LineEditor m_editor;
};

}  // namespace

int shell_main(void*) {
    Shell shell;
    shell.run();
}

}  // namespace kernel::shell
