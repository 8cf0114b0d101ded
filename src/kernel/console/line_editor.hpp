// The shell's line editing: what to echo for each character typed, with
// backspace erasing what was typed (never the prompt), and a line that
// outgrows the buffer refused whole. Pure, so it is host-tested.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace kernel::console {

class LineEditor {
public:
    static constexpr size_t kCapacity = 160;

    struct Echo {
        char text[4] = {};
        uint8_t length = 0;
        bool line_done = false;  // Enter: the line is in line() until the next character
    };

    // '\b' erases the last character ("\b \b"), '\n' ends the line,
    // printable ASCII is appended while there is room; anything else, and a
    // backspace on an empty line, echoes nothing. A printable character
    // with no room left is dropped, never stored over another, and makes the
    // line too_long() until Enter ends it.
    [[nodiscard]] Echo type(char c) {
        Echo echo;
        if (m_done) {
            m_length = 0;
            m_done = false;
            m_too_long = false;
        }
        if (c == '\n') {
            m_done = true;
            echo.line_done = true;
            put(echo, "\n");
        } else if (c == '\b') {
            if (m_length > 0) {
                --m_length;
                put(echo, "\b \b");
            }
        } else if (c >= 0x20 && c < 0x7F) {
            if (m_length == kCapacity) {
                m_too_long = true;
            } else {
                m_line[m_length++] = c;
                echo.text[0] = c;
                echo.length = 1;
            }
        }
        return echo;
    }

    [[nodiscard]] const char* line() const { return m_line; }
    [[nodiscard]] size_t length() const { return m_length; }
    // Whether a character was dropped for want of room since the line began.
    // Such a line must be refused, not run: what it holds is not what was
    // typed, and erasing afterwards cannot bring the dropped part back.
    [[nodiscard]] bool too_long() const { return m_too_long; }

private:
    static void put(Echo& echo, const char* text) {
        while (*text != '\0') echo.text[echo.length++] = *text++;
    }

    char m_line[kCapacity] = {};
    size_t m_length = 0;
    bool m_done = false;
    bool m_too_long = false;
};

}  // namespace kernel::console
