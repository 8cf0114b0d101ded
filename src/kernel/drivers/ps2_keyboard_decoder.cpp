// Scancode set 1 as tables, one row per key, and the small state machine that
// walks its prefixes (0xE0 for the keys added by the 101-key keyboard, 0xE1
// for Pause).
#include "drivers/ps2_keyboard_decoder.hpp"

#include <stddef.h>

namespace kernel::drivers {

namespace {

constexpr uint8_t kPrefixExtended = 0xE0;
constexpr uint8_t kPrefixPause = 0xE1;
constexpr uint8_t kBreakBit = 0x80;  // a key's break code is its make code with this bit set
constexpr uint8_t kEscapeCharacter = 0x1B;

struct Row {
    uint8_t code;  // make code, after the prefix if any
    Key key;
    char plain;    // what the key types without shift, 0 if nothing
    char shifted;  // with shift
};

// Keys without a prefix. The keypad's digits and period type nothing: what
// they do depends on Num Lock, whose state at boot (the firmware's) we do not
// know; its operators type the same either way.
constexpr Row kSet1[] = {
    {0x01, Key::Escape, kEscapeCharacter, kEscapeCharacter},
    {0x02, Key::Digit1, '1', '!'},
    {0x03, Key::Digit2, '2', '@'},
    {0x04, Key::Digit3, '3', '#'},
    {0x05, Key::Digit4, '4', '$'},
    {0x06, Key::Digit5, '5', '%'},
    {0x07, Key::Digit6, '6', '^'},
    {0x08, Key::Digit7, '7', '&'},
    {0x09, Key::Digit8, '8', '*'},
    {0x0A, Key::Digit9, '9', '('},
    {0x0B, Key::Digit0, '0', ')'},
    {0x0C, Key::Minus, '-', '_'},
    {0x0D, Key::Equal, '=', '+'},
    {0x0E, Key::Backspace, '\b', '\b'},
    {0x0F, Key::Tab, '\t', '\t'},
    {0x10, Key::Q, 'q', 'Q'},
    {0x11, Key::W, 'w', 'W'},
    {0x12, Key::E, 'e', 'E'},
    {0x13, Key::R, 'r', 'R'},
    {0x14, Key::T, 't', 'T'},
    {0x15, Key::Y, 'y', 'Y'},
    {0x16, Key::U, 'u', 'U'},
    {0x17, Key::I, 'i', 'I'},
    {0x18, Key::O, 'o', 'O'},
    {0x19, Key::P, 'p', 'P'},
    {0x1A, Key::LeftBracket, '[', '{'},
    {0x1B, Key::RightBracket, ']', '}'},
    {0x1C, Key::Enter, '\n', '\n'},
    {0x1D, Key::LeftCtrl, 0, 0},
    {0x1E, Key::A, 'a', 'A'},
    {0x1F, Key::S, 's', 'S'},
    {0x20, Key::D, 'd', 'D'},
    {0x21, Key::F, 'f', 'F'},
    {0x22, Key::G, 'g', 'G'},
    {0x23, Key::H, 'h', 'H'},
    {0x24, Key::J, 'j', 'J'},
    {0x25, Key::K, 'k', 'K'},
    {0x26, Key::L, 'l', 'L'},
    {0x27, Key::Semicolon, ';', ':'},
    {0x28, Key::Quote, '\'', '"'},
    {0x29, Key::Backquote, '`', '~'},
    {0x2A, Key::LeftShift, 0, 0},
    {0x2B, Key::Backslash, '\\', '|'},
    {0x2C, Key::Z, 'z', 'Z'},
    {0x2D, Key::X, 'x', 'X'},
    {0x2E, Key::C, 'c', 'C'},
    {0x2F, Key::V, 'v', 'V'},
    {0x30, Key::B, 'b', 'B'},
    {0x31, Key::N, 'n', 'N'},
    {0x32, Key::M, 'm', 'M'},
    {0x33, Key::Comma, ',', '<'},
    {0x34, Key::Period, '.', '>'},
    {0x35, Key::Slash, '/', '?'},
    {0x36, Key::RightShift, 0, 0},
    {0x37, Key::KeypadAsterisk, '*', '*'},
    {0x38, Key::LeftAlt, 0, 0},
    {0x39, Key::Space, ' ', ' '},
    {0x3A, Key::CapsLock, 0, 0},
    {0x3B, Key::F1, 0, 0},
    {0x3C, Key::F2, 0, 0},
    {0x3D, Key::F3, 0, 0},
    {0x3E, Key::F4, 0, 0},
    {0x3F, Key::F5, 0, 0},
    {0x40, Key::F6, 0, 0},
    {0x41, Key::F7, 0, 0},
    {0x42, Key::F8, 0, 0},
    {0x43, Key::F9, 0, 0},
    {0x44, Key::F10, 0, 0},
    {0x45, Key::NumLock, 0, 0},
    {0x46, Key::ScrollLock, 0, 0},
    {0x47, Key::Keypad7, 0, 0},
    {0x48, Key::Keypad8, 0, 0},
    {0x49, Key::Keypad9, 0, 0},
    {0x4A, Key::KeypadMinus, '-', '-'},
    {0x4B, Key::Keypad4, 0, 0},
    {0x4C, Key::Keypad5, 0, 0},
    {0x4D, Key::Keypad6, 0, 0},
    {0x4E, Key::KeypadPlus, '+', '+'},
    {0x4F, Key::Keypad1, 0, 0},
    {0x50, Key::Keypad2, 0, 0},
    {0x51, Key::Keypad3, 0, 0},
    {0x52, Key::Keypad0, 0, 0},
    {0x53, Key::KeypadPeriod, 0, 0},
    {0x54, Key::SysRq, 0, 0},  // Alt+Print Screen
    {0x56, Key::NonUsBackslash, 0, 0},
    {0x57, Key::F11, 0, 0},
    {0x58, Key::F12, 0, 0},
};

// Keys after 0xE0. The keyboard also wraps some of these in 0xE0 0x2A /
// 0xE0 0x36 ("fake shifts", and their breaks) to cancel or fake Shift for
// software that knows only the 84-key keyboard; those codes are deliberately
// absent, so they are ignored and never touch the real Shift state.
constexpr Row kSet1Extended[] = {
    {0x1C, Key::KeypadEnter, '\n', '\n'},
    {0x1D, Key::RightCtrl, 0, 0},
    {0x35, Key::KeypadSlash, '/', '/'},
    {0x37, Key::PrintScreen, 0, 0},
    {0x38, Key::RightAlt, 0, 0},
    {0x46, Key::Pause, 0, 0},  // Ctrl+Pause (Break)
    {0x47, Key::Home, 0, 0},
    {0x48, Key::Up, 0, 0},
    {0x49, Key::PageUp, 0, 0},
    {0x4B, Key::Left, 0, 0},
    {0x4D, Key::Right, 0, 0},
    {0x4F, Key::End, 0, 0},
    {0x50, Key::Down, 0, 0},
    {0x51, Key::PageDown, 0, 0},
    {0x52, Key::Insert, 0, 0},
    {0x53, Key::Delete, 0, 0},
    {0x5B, Key::LeftGui, 0, 0},
    {0x5C, Key::RightGui, 0, 0},
    {0x5D, Key::Menu, 0, 0},
};

// Pause sends 0xE1 0x1D 0x45 0xE1 0x9D 0xC5 on press and nothing on release:
// the first triple is read as its press, the second as its release.
constexpr Row kPause = {0x1D, Key::Pause, 0, 0};

// Codes are 7 bits once the break bit is off, so a lookup by code is one
// index into a 128-entry table built from the rows above at compile time.
struct CodeTable {
    Row rows[kBreakBit] = {};
};

template <size_t N>
constexpr bool codes_are_distinct_and_7_bit(const Row (&rows)[N]) {
    bool seen[kBreakBit] = {};
    for (const Row& row : rows) {
        if (row.code >= kBreakBit || seen[row.code]) return false;
        seen[row.code] = true;
    }
    return true;
}
static_assert(codes_are_distinct_and_7_bit(kSet1) && codes_are_distinct_and_7_bit(kSet1Extended));

template <size_t N>
constexpr CodeTable index_by_code(const Row (&rows)[N]) {
    CodeTable table;
    for (const Row& row : rows) table.rows[row.code] = row;
    return table;
}

constexpr CodeTable kByCode = index_by_code(kSet1);
constexpr CodeTable kExtendedByCode = index_by_code(kSet1Extended);

constexpr bool is_letter(char c) {
    return c >= 'a' && c <= 'z';
}

}  // namespace

lib::Optional<KeyEvent> Ps2KeyboardDecoder::feed(uint8_t byte) {
    // A prefix always starts a new sequence, even in the middle of one.
    if (byte == kPrefixExtended) {
        m_state = State::Extended;
        return {};
    }
    if (byte == kPrefixPause) {
        m_state = State::PauseFirst;
        return {};
    }

    bool pressed = (byte & kBreakBit) == 0;
    const uint8_t code = byte & ~kBreakBit;
    const State state = m_state;
    m_state = State::Normal;

    Row row{};
    switch (state) {
    case State::Normal: row = kByCode.rows[code]; break;
    case State::Extended: row = kExtendedByCode.rows[code]; break;
    case State::PauseFirst:
        m_pause_released = !pressed;
        m_state = State::PauseSecond;
        return {};
    case State::PauseSecond:
        row = kPause;
        pressed = !m_pause_released;
        break;
    }
    if (row.key == Key::None) return {};
    return apply(row.key, pressed, row.plain, row.shifted);
}

KeyEvent Ps2KeyboardDecoder::apply(Key key, bool pressed, char plain, char shifted) {
    switch (key) {
    case Key::LeftShift: m_modifiers.left_shift = pressed; break;
    case Key::RightShift: m_modifiers.right_shift = pressed; break;
    case Key::LeftCtrl: m_modifiers.left_ctrl = pressed; break;
    case Key::RightCtrl: m_modifiers.right_ctrl = pressed; break;
    case Key::LeftAlt: m_modifiers.left_alt = pressed; break;
    case Key::RightAlt: m_modifiers.right_alt = pressed; break;
    case Key::CapsLock:
        // A held key repeats its make code; only the first one toggles.
        if (pressed && !m_caps_lock_held) m_modifiers.caps_lock = !m_modifiers.caps_lock;
        m_caps_lock_held = pressed;
        break;
    default: break;
    }

    KeyEvent event{key, pressed, m_modifiers, 0};
    if (!pressed) return event;
    // Caps Lock shifts letters only; with Shift as well it undoes itself.
    const bool shift = is_letter(plain) ? m_modifiers.shift() != m_modifiers.caps_lock : m_modifiers.shift();
    event.ascii = shift ? shifted : plain;
    return event;
}

}  // namespace kernel::drivers
