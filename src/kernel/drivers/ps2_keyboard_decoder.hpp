// Turns the bytes a PS/2 keyboard sends (scancode set 1, which the 8042 gives
// with translation on) into key events and the characters of a US layout.
// Pure: no hardware, so it is tested on the host.
#pragma once

#include <stdint.h>

#include "lib/optional.hpp"

namespace kernel::drivers {

// The keys of a US 104-key keyboard (plus the ISO key left of Z), named by
// what they say on a US keyboard, one line per row of keys:
// clang-format off
enum class Key : uint8_t {
    None,
    Escape, F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12,
    Backquote, Digit1, Digit2, Digit3, Digit4, Digit5, Digit6, Digit7, Digit8, Digit9, Digit0, Minus, Equal, Backspace,
    Tab, Q, W, E, R, T, Y, U, I, O, P, LeftBracket, RightBracket, Backslash,
    CapsLock, A, S, D, F, G, H, J, K, L, Semicolon, Quote, Enter,
    LeftShift, NonUsBackslash, Z, X, C, V, B, N, M, Comma, Period, Slash, RightShift,
    LeftCtrl, LeftGui, LeftAlt, Space, RightAlt, RightGui, Menu, RightCtrl,
    PrintScreen, SysRq, ScrollLock, Pause,
    Insert, Home, PageUp, Delete, End, PageDown, Up, Left, Down, Right,
    NumLock, KeypadSlash, KeypadAsterisk, KeypadMinus, KeypadPlus, KeypadEnter, KeypadPeriod,
    Keypad0, Keypad1, Keypad2, Keypad3, Keypad4, Keypad5, Keypad6, Keypad7, Keypad8, Keypad9,
};
// clang-format on

struct Modifiers {
    bool left_shift = false;
    bool right_shift = false;
    bool left_ctrl = false;
    bool right_ctrl = false;
    bool left_alt = false;
    bool right_alt = false;
    bool caps_lock = false;  // toggled by each press of Caps Lock (not by its auto-repeat)

    [[nodiscard]] constexpr bool shift() const { return left_shift || right_shift; }
    [[nodiscard]] constexpr bool ctrl() const { return left_ctrl || right_ctrl; }
    [[nodiscard]] constexpr bool alt() const { return left_alt || right_alt; }
};

struct KeyEvent {
    Key key = Key::None;
    bool pressed = false;  // false: released; a held key repeats its press
    Modifiers modifiers;   // as they are after this event
    // What the press types in a US layout ('\n' for Enter, '\b' for Backspace,
    // '\t', 0x1B for Escape), or 0 for releases and keys that type nothing.
    // Ctrl and Alt do not change it: read them from modifiers.
    char ascii = 0;
};

class Ps2KeyboardDecoder {
public:
    // Feeds one byte from the keyboard; returns an event when the byte
    // completes a key's make or break code. Prefix bytes, unknown codes and
    // the keyboard's replies to commands give nothing, and no sequence of
    // bytes leaves the decoder out of step for more than two bytes.
    [[nodiscard]] lib::Optional<KeyEvent> feed(uint8_t byte);

    [[nodiscard]] const Modifiers& modifiers() const { return m_modifiers; }

private:
    enum class State : uint8_t {
        Normal,
        Extended,    // after 0xE0: one more byte names the key
        PauseFirst,  // after 0xE1: two more bytes, the first says make or break
        PauseSecond,
    };

    KeyEvent apply(Key key, bool pressed, char plain, char shifted);

    State m_state = State::Normal;
    bool m_pause_released = false;
    bool m_caps_lock_held = false;
    Modifiers m_modifiers;
};

}  // namespace kernel::drivers
