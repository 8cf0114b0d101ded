// Host tests for the scancode set 1 decoder: every printable key with and
// without Shift and Caps Lock, the control keys, break codes, the 0xE0 keys
// that must not pass for their look-alikes, fake shifts, Pause, and random
// byte streams that must neither crash it nor leave it out of step.
#include "drivers/ps2_keyboard_decoder.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <random>
#include <string>
#include <vector>

using namespace kernel::drivers;
using kernel::lib::Optional;

namespace {

// Written out from the set 1 chart, independently of the decoder's tables.
struct PrintableKey {
    uint8_t code;
    char plain;
    char shifted;
};

std::vector<PrintableKey> rows_of(uint8_t first_code, const char* plain, const char* shifted) {
    std::vector<PrintableKey> keys;
    for (size_t i = 0; plain[i] != '\0'; ++i) keys.push_back({uint8_t(first_code + i), plain[i], shifted[i]});
    return keys;
}

std::vector<PrintableKey> letters() {
    std::vector<PrintableKey> keys = rows_of(0x10, "qwertyuiop", "QWERTYUIOP");
    for (const auto& key : rows_of(0x1E, "asdfghjkl", "ASDFGHJKL")) keys.push_back(key);
    for (const auto& key : rows_of(0x2C, "zxcvbnm", "ZXCVBNM")) keys.push_back(key);
    return keys;
}

std::vector<PrintableKey> digits_and_symbols() {
    std::vector<PrintableKey> keys = rows_of(0x02, "1234567890-=", "!@#$%^&*()_+");
    for (const auto& key : rows_of(0x1A, "[]", "{}")) keys.push_back(key);
    for (const auto& key : rows_of(0x27, ";'`", ":\"~")) keys.push_back(key);
    keys.push_back({0x2B, '\\', '|'});
    for (const auto& key : rows_of(0x33, ",./", "<>?")) keys.push_back(key);
    return keys;
}

constexpr uint8_t kLeftShift = 0x2A;
constexpr uint8_t kRightShift = 0x36;
constexpr uint8_t kCapsLock = 0x3A;
constexpr uint8_t kLeftCtrl = 0x1D;
constexpr uint8_t kBreak = 0x80;

std::vector<KeyEvent> feed(Ps2KeyboardDecoder& decoder, const std::vector<uint8_t>& bytes) {
    std::vector<KeyEvent> events;
    for (uint8_t byte : bytes)
        if (const Optional<KeyEvent> event = decoder.feed(byte)) events.push_back(*event);
    return events;
}

// Presses and releases one key and returns what the press typed.
char type_key(Ps2KeyboardDecoder& decoder, uint8_t code) {
    const std::vector<KeyEvent> events = feed(decoder, {code, uint8_t(code | kBreak)});
    EXPECT_EQ(events.size(), 2u);
    if (events.size() != 2) return '?';
    EXPECT_TRUE(events[0].pressed);
    EXPECT_FALSE(events[1].pressed);
    EXPECT_EQ(events[0].key, events[1].key);
    EXPECT_EQ(events[1].ascii, 0) << "a release types nothing";
    return events[0].ascii;
}

void toggle_caps_lock(Ps2KeyboardDecoder& decoder) {
    (void)feed(decoder, {kCapsLock, kCapsLock | kBreak});
}

}  // namespace

TEST(Ps2KeyboardDecoder, EveryLetterPlainShiftedCapsAndBoth) {
    for (const PrintableKey& key : letters()) {
        SCOPED_TRACE(key.plain);
        Ps2KeyboardDecoder decoder;
        EXPECT_EQ(type_key(decoder, key.code), key.plain);
        (void)feed(decoder, {kLeftShift});
        EXPECT_EQ(type_key(decoder, key.code), key.shifted);
        (void)feed(decoder, {kLeftShift | kBreak, kRightShift});
        EXPECT_EQ(type_key(decoder, key.code), key.shifted);
        (void)feed(decoder, {kRightShift | kBreak});
        EXPECT_EQ(type_key(decoder, key.code), key.plain);

        toggle_caps_lock(decoder);
        EXPECT_EQ(type_key(decoder, key.code), key.shifted);
        (void)feed(decoder, {kLeftShift});
        EXPECT_EQ(type_key(decoder, key.code), key.plain) << "Shift undoes Caps Lock";
        (void)feed(decoder, {kLeftShift | kBreak});
        toggle_caps_lock(decoder);
        EXPECT_EQ(type_key(decoder, key.code), key.plain);
    }
}

TEST(Ps2KeyboardDecoder, DigitsAndPunctuationShiftButIgnoreCapsLock) {
    for (const PrintableKey& key : digits_and_symbols()) {
        SCOPED_TRACE(key.plain);
        Ps2KeyboardDecoder decoder;
        EXPECT_EQ(type_key(decoder, key.code), key.plain);
        (void)feed(decoder, {kRightShift});
        EXPECT_EQ(type_key(decoder, key.code), key.shifted);
        (void)feed(decoder, {kRightShift | kBreak});
        toggle_caps_lock(decoder);
        EXPECT_EQ(type_key(decoder, key.code), key.plain);
        (void)feed(decoder, {kLeftShift});
        EXPECT_EQ(type_key(decoder, key.code), key.shifted);
    }
}

TEST(Ps2KeyboardDecoder, ControlCharactersOfTheMainBlock) {
    Ps2KeyboardDecoder decoder;
    EXPECT_EQ(type_key(decoder, 0x39), ' ');
    EXPECT_EQ(type_key(decoder, 0x0F), '\t');
    EXPECT_EQ(type_key(decoder, 0x1C), '\n');
    EXPECT_EQ(type_key(decoder, 0x0E), '\b');
    EXPECT_EQ(type_key(decoder, 0x01), '\x1b');
    (void)feed(decoder, {kLeftShift});
    EXPECT_EQ(type_key(decoder, 0x39), ' ');
    EXPECT_EQ(type_key(decoder, 0x1C), '\n');
    EXPECT_EQ(type_key(decoder, 0x0E), '\b');
}

TEST(Ps2KeyboardDecoder, BreakCodesReleaseTheKeyTheyName) {
    Ps2KeyboardDecoder decoder;
    const std::vector<KeyEvent> events = feed(decoder, {0x1E, 0x1E, 0x30, 0x9E, 0xB0});
    ASSERT_EQ(events.size(), 5u);
    EXPECT_EQ(events[0].key, Key::A);
    EXPECT_TRUE(events[1].pressed) << "auto-repeat repeats the press";
    EXPECT_EQ(events[2].key, Key::B);
    EXPECT_EQ(events[3].key, Key::A);
    EXPECT_FALSE(events[3].pressed);
    EXPECT_EQ(events[3].ascii, 0);
    EXPECT_EQ(events[4].key, Key::B);
    EXPECT_FALSE(events[4].pressed);
}

TEST(Ps2KeyboardDecoder, ModifiersAreTrackedPerSide) {
    Ps2KeyboardDecoder decoder;
    std::vector<KeyEvent> events = feed(decoder, {kLeftCtrl, 0xE0, 0x1D, 0x38, 0xE0, 0x38});
    ASSERT_EQ(events.size(), 4u);
    EXPECT_EQ(events[0].key, Key::LeftCtrl);
    EXPECT_EQ(events[1].key, Key::RightCtrl);
    EXPECT_EQ(events[2].key, Key::LeftAlt);
    EXPECT_EQ(events[3].key, Key::RightAlt);
    const Modifiers all = decoder.modifiers();
    EXPECT_TRUE(all.left_ctrl && all.right_ctrl && all.left_alt && all.right_alt);
    EXPECT_EQ(events[3].modifiers.right_alt, true) << "an event carries the state after it";

    events = feed(decoder, {0xE0, 0x9D, 0x2E});
    ASSERT_EQ(events.size(), 2u);
    EXPECT_FALSE(decoder.modifiers().right_ctrl);
    EXPECT_TRUE(decoder.modifiers().ctrl()) << "left Ctrl is still down";
    EXPECT_EQ(events[1].key, Key::C);
    EXPECT_EQ(events[1].ascii, 'c') << "Ctrl does not change the character";
    EXPECT_TRUE(events[1].modifiers.ctrl());

    (void)feed(decoder, {kLeftCtrl | kBreak, 0xB8, 0xE0, 0xB8});
    EXPECT_FALSE(decoder.modifiers().ctrl());
    EXPECT_FALSE(decoder.modifiers().alt());
}

TEST(Ps2KeyboardDecoder, OneShiftReleasedWhileTheOtherIsHeldStillShifts) {
    Ps2KeyboardDecoder decoder;
    (void)feed(decoder, {kLeftShift, kRightShift, kLeftShift | kBreak});
    EXPECT_EQ(type_key(decoder, 0x1E), 'A');
}

TEST(Ps2KeyboardDecoder, HeldCapsLockTogglesOnceNotOnEveryRepeat) {
    Ps2KeyboardDecoder decoder;
    (void)feed(decoder, {kCapsLock, kCapsLock, kCapsLock, kCapsLock});
    EXPECT_TRUE(decoder.modifiers().caps_lock);
    (void)feed(decoder, {kCapsLock | kBreak});
    EXPECT_TRUE(decoder.modifiers().caps_lock);
    toggle_caps_lock(decoder);
    EXPECT_FALSE(decoder.modifiers().caps_lock);
}

// Each of these shares its byte after 0xE0 with a key of the 84-key keyboard.
TEST(Ps2KeyboardDecoder, ExtendedKeysAreNotTheirLookAlikes) {
    struct Case {
        uint8_t code;
        Key extended;
        Key plain;
    };
    const Case cases[] = {
        {0x48, Key::Up, Key::Keypad8},
        {0x50, Key::Down, Key::Keypad2},
        {0x4B, Key::Left, Key::Keypad4},
        {0x4D, Key::Right, Key::Keypad6},
        {0x47, Key::Home, Key::Keypad7},
        {0x4F, Key::End, Key::Keypad1},
        {0x49, Key::PageUp, Key::Keypad9},
        {0x51, Key::PageDown, Key::Keypad3},
        {0x52, Key::Insert, Key::Keypad0},
        {0x53, Key::Delete, Key::KeypadPeriod},
        {0x1D, Key::RightCtrl, Key::LeftCtrl},
        {0x38, Key::RightAlt, Key::LeftAlt},
        {0x1C, Key::KeypadEnter, Key::Enter},
        {0x35, Key::KeypadSlash, Key::Slash},
        {0x37, Key::PrintScreen, Key::KeypadAsterisk},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(int(c.code));
        Ps2KeyboardDecoder decoder;
        const std::vector<KeyEvent> events = feed(decoder, {0xE0, c.code, 0xE0, uint8_t(c.code | kBreak), c.code});
        ASSERT_EQ(events.size(), 3u);
        EXPECT_EQ(events[0].key, c.extended);
        EXPECT_TRUE(events[0].pressed);
        EXPECT_EQ(events[1].key, c.extended);
        EXPECT_FALSE(events[1].pressed);
        EXPECT_EQ(events[2].key, c.plain) << "the prefix applies to one byte only";
    }
}

TEST(Ps2KeyboardDecoder, NavigationKeysTypeNothingAndKeypadEnterAndSlashTypeTheirCharacter) {
    Ps2KeyboardDecoder decoder;
    for (uint8_t code : {0x48, 0x50, 0x4B, 0x4D, 0x47, 0x4F, 0x49, 0x51, 0x52, 0x53, 0x1D, 0x38, 0x5B, 0x5C, 0x5D}) {
        const std::vector<KeyEvent> events = feed(decoder, {0xE0, code, 0xE0, uint8_t(code | kBreak)});
        ASSERT_EQ(events.size(), 2u) << int(code);
        EXPECT_EQ(events[0].ascii, 0) << int(code);
    }
    (void)feed(decoder, {kLeftShift});
    EXPECT_EQ(feed(decoder, {0xE0, 0x35})[0].ascii, '/') << "keypad slash is not the ?/ key";
    EXPECT_EQ(feed(decoder, {0xE0, 0x1C})[0].ascii, '\n');
}

// With Num Lock on, or Shift held, the keyboard wraps navigation keys in
// 0xE0 0x2A / 0xE0 0xAA (and 0xE0 0x36 / 0xE0 0xB6); those must not reach the
// Shift state, or a held Shift would be lost.
TEST(Ps2KeyboardDecoder, FakeShiftsAroundExtendedKeysAreIgnored) {
    Ps2KeyboardDecoder decoder;
    std::vector<KeyEvent> events = feed(decoder, {0xE0, 0x2A, 0xE0, 0x52, 0xE0, 0xD2, 0xE0, 0xAA});
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].key, Key::Insert);
    EXPECT_FALSE(decoder.modifiers().shift());

    events = feed(decoder, {kLeftShift, 0xE0, 0xAA, 0xE0, 0x36 | kBreak, 0xE0, 0x4B, 0xE0, 0xCB, 0xE0, 0x2A});
    ASSERT_EQ(events.size(), 3u);
    EXPECT_TRUE(decoder.modifiers().left_shift);
    EXPECT_EQ(type_key(decoder, 0x1E), 'A');

    // Print Screen: 0xE0 0x2A 0xE0 0x37, released as 0xE0 0xB7 0xE0 0xAA.
    events = feed(decoder, {kLeftShift | kBreak, 0xE0, 0x2A, 0xE0, 0x37, 0xE0, 0xB7, 0xE0, 0xAA});
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[1].key, Key::PrintScreen);
    EXPECT_EQ(events[2].key, Key::PrintScreen);
    EXPECT_FALSE(decoder.modifiers().shift());
}

TEST(Ps2KeyboardDecoder, PauseIsOneKeyAndItsInnerCtrlCodeIsNotCtrl) {
    Ps2KeyboardDecoder decoder;
    std::vector<KeyEvent> events = feed(decoder, {0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5});
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].key, Key::Pause);
    EXPECT_TRUE(events[0].pressed);
    EXPECT_EQ(events[1].key, Key::Pause);
    EXPECT_FALSE(events[1].pressed);
    EXPECT_FALSE(decoder.modifiers().ctrl());
    EXPECT_FALSE(decoder.modifiers().left_ctrl);
    EXPECT_EQ(type_key(decoder, 0x45), 0) << "Num Lock after Pause is Num Lock again";
    EXPECT_EQ(type_key(decoder, 0x1E), 'a');

    // Ctrl+Pause is Break, sent as an ordinary extended key.
    events = feed(decoder, {kLeftCtrl, 0xE0, 0x46, 0xE0, 0xC6, kLeftCtrl | kBreak});
    ASSERT_EQ(events.size(), 4u);
    EXPECT_EQ(events[1].key, Key::Pause);
    EXPECT_NE(events[1].key, Key::ScrollLock);
}

TEST(Ps2KeyboardDecoder, UnknownCodesAndKeyboardRepliesGiveNothing) {
    Ps2KeyboardDecoder decoder;
    // Overrun (0x00), unused codes, multimedia keys after 0xE0, and the
    // replies ACK, echo, resend, error, self-test failures.
    const std::vector<uint8_t> noise = {0x00, 0x55, 0x59, 0x5F, 0x7F, 0xE0, 0x10, 0xE0, 0x20, 0xE0,
                                        0x6D, 0xFA, 0xEE, 0xFE, 0xFF, 0xFC, 0xFD, 0xD9, 0xE0, 0x90};
    EXPECT_TRUE(feed(decoder, noise).empty());
    EXPECT_EQ(type_key(decoder, 0x1E), 'a');
    EXPECT_EQ(type_key(decoder, 0x2D), 'x');
}

TEST(Ps2KeyboardDecoder, FunctionKeysAndTheirReleases) {
    Ps2KeyboardDecoder decoder;
    const std::vector<KeyEvent> events = feed(decoder, {0x3B, 0xBB, 0x44, 0x57, 0x58, 0xD8});
    ASSERT_EQ(events.size(), 6u);
    EXPECT_EQ(events[0].key, Key::F1);
    EXPECT_EQ(events[2].key, Key::F10);
    EXPECT_EQ(events[3].key, Key::F11);
    EXPECT_EQ(events[4].key, Key::F12);
    for (const KeyEvent& event : events) EXPECT_EQ(event.ascii, 0);
}

// Whatever came before, the two bytes after a stream of garbage are consumed
// at most, and then keys decode again.
TEST(Ps2KeyboardDecoder, RandomStreamsNeverCrashAndTheDecoderResynchronises) {
    std::mt19937 random(12345);
    for (int stream = 0; stream < 2000; ++stream) {
        Ps2KeyboardDecoder decoder;
        const int length = int(random() % 64);
        for (int i = 0; i < length; ++i) {
            const Optional<KeyEvent> event = decoder.feed(uint8_t(random()));
            if (!event) continue;
            ASSERT_NE(event->key, Key::None);
            if (!event->pressed) {
                ASSERT_EQ(event->ascii, 0);
            }
        }
        // Two non-prefix bytes end any sequence; releasing the modifiers resets them.
        (void)feed(decoder, {0x00, 0x00, kLeftShift | kBreak, kRightShift | kBreak, kLeftCtrl | kBreak});
        const bool caps = decoder.modifiers().caps_lock;
        const std::vector<KeyEvent> events = feed(decoder, {0x1E, 0x9E});
        ASSERT_EQ(events.size(), 2u) << "stream " << stream;
        EXPECT_EQ(events[0].key, Key::A);
        EXPECT_EQ(events[0].ascii, caps ? 'A' : 'a');
        EXPECT_FALSE(events[1].pressed);
    }
}

TEST(Ps2KeyboardDecoder, EveryByteInEveryStateIsSafe) {
    for (int first = 0; first < 256; ++first) {
        for (int second = 0; second < 256; ++second) {
            Ps2KeyboardDecoder decoder;
            for (uint8_t byte : {uint8_t(first), uint8_t(second), uint8_t(0x1E)}) (void)decoder.feed(byte);
        }
    }
}
