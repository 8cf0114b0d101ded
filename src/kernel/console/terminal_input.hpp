// What a terminal sends down a serial line when someone types, turned into
// the characters the line editor takes. Pure, so it is host-tested.
#pragma once

#include <stdint.h>

#include "lib/optional.hpp"

namespace kernel::console {

class TerminalInput {
public:
    // Feeds one byte from the line; returns the character it types: '\n' for
    // Enter (CR, LF, or CR LF as one), '\b' for Backspace (DEL or BS),
    // printable ASCII as it is. Everything else gives nothing: other control
    // bytes, bytes above 0x7E, and escape sequences whole (the arrow and
    // function keys: ESC [ ... final byte, ESC O and one byte). A control
    // byte inside a sequence ends it and counts, so Enter always gets
    // through; ESC before any other byte (Alt+key) is dropped alone.
    [[nodiscard]] lib::Optional<char> feed(uint8_t byte) {
        const bool after_cr = m_after_cr;
        m_after_cr = false;
        if (swallowed_by_sequence(byte)) return {};
        return text(byte, after_cr);
    }

private:
    static constexpr uint8_t kEscape = 0x1B;
    static constexpr uint8_t kDelete = 0x7F;
    // ECMA-48: a control sequence's parameter and intermediate bytes are
    // 0x20-0x3F, and one byte in 0x40-0x7E ends it.
    static constexpr uint8_t kParameterFirst = 0x20;
    static constexpr uint8_t kFinalFirst = 0x40;
    static constexpr uint8_t kFinalLast = 0x7E;

    enum class State : uint8_t {
        Text,
        Escape,           // after ESC
        ControlSequence,  // after ESC [: until a final byte
        OneMore,          // after ESC O: one byte names the key
    };

    // Whether byte belongs to the escape sequence under way, if any; the
    // state moves on past it.
    bool swallowed_by_sequence(uint8_t byte) {
        const State state = m_state;
        m_state = State::Text;
        switch (state) {
        case State::Text: return false;
        case State::Escape:
            if (byte == '[') m_state = State::ControlSequence;
            if (byte == 'O') m_state = State::OneMore;
            return m_state != State::Text;
        case State::ControlSequence:
            if (byte >= kParameterFirst && byte < kFinalFirst) m_state = State::ControlSequence;
            return byte >= kParameterFirst && byte <= kFinalLast;
        case State::OneMore: return byte >= ' ' && byte <= '~';
        }
        return false;
    }

    // A byte outside any sequence.
    lib::Optional<char> text(uint8_t byte, bool after_cr) {
        if (byte == kEscape) {
            m_state = State::Escape;
            return {};
        }
        if (byte == '\r') {
            m_after_cr = true;
            return '\n';
        }
        if (byte == '\n') {
            if (after_cr) return {};  // CR LF: one Enter
            return '\n';
        }
        if (byte == kDelete || byte == '\b') return '\b';
        if (byte >= ' ' && byte <= '~') return static_cast<char>(byte);
        return {};
    }

    State m_state = State::Text;
    bool m_after_cr = false;  // a LF next is the rest of the same Enter
};

}  // namespace kernel::console
