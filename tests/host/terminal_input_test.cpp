// Host tests of what a terminal's bytes type at the prompt: Enter in its
// three spellings, both Backspaces, escape sequences dropped whole, and
// random bytes that must never swallow an Enter.
#include "console/terminal_input.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace {

using kernel::console::TerminalInput;

// The characters the bytes type, in order.
std::string typed(TerminalInput& input, const std::string& bytes) {
    std::string out;
    for (const char byte : bytes)
        if (const auto c = input.feed(static_cast<uint8_t>(byte))) out += *c;
    return out;
}

std::string typed(const std::string& bytes) {
    TerminalInput input;
    return typed(input, bytes);
}

TEST(TerminalInput, PrintableAsciiTypesItself) {
    std::string printable;
    for (int c = ' '; c <= '~'; ++c) printable += static_cast<char>(c);
    EXPECT_EQ(typed(printable), printable);
}

TEST(TerminalInput, EnterIsCrLfOrCrLfAsOne) {
    EXPECT_EQ(typed("a\rb"), "a\nb");
    EXPECT_EQ(typed("a\nb"), "a\nb");
    EXPECT_EQ(typed("a\r\nb"), "a\nb");
}

TEST(TerminalInput, EmptyLinesStayLines) {
    EXPECT_EQ(typed("\r\r"), "\n\n");
    EXPECT_EQ(typed("\n\n"), "\n\n");
    EXPECT_EQ(typed("\r\n\r\n"), "\n\n");
    EXPECT_EQ(typed("\n\r"), "\n\n");
}

TEST(TerminalInput, DeleteAndBackspaceBothErase) {
    EXPECT_EQ(typed("ab\x7f"), "ab\b");
    EXPECT_EQ(typed("ab\x08"), "ab\b");
}

TEST(TerminalInput, ArrowAndFunctionKeysTypeNothing) {
    // Up, Down, Right, Left; Home and End both ways; Delete, Page Up,
    // F5 and Ctrl+Left with parameters; F1-F4 as ESC O.
    EXPECT_EQ(typed("a\x1b[A\x1b[B\x1b[C\x1b[Db"), "ab");
    EXPECT_EQ(typed("a\x1b[H\x1b[F\x1bOH\x1bOFb"), "ab");
    EXPECT_EQ(typed("a\x1b[3~\x1b[5~\x1b[15~\x1b[1;5Db"), "ab");
    EXPECT_EQ(typed("a\x1bOP\x1bOQ\x1bOR\x1bOSb"), "ab");
}

TEST(TerminalInput, AltKeyDropsOnlyTheEscape) {
    EXPECT_EQ(typed("\x1bx"), "x");
    EXPECT_EQ(typed("\x1b\x1b[Ax"), "x");
}

TEST(TerminalInput, AControlByteEndsASequenceAndCounts) {
    EXPECT_EQ(typed("\x1b[12\rx"), "\nx");
    EXPECT_EQ(typed("\x1bO\rx"), "\nx");
    EXPECT_EQ(typed("\x1b[1\x7f"), "\b");
    EXPECT_EQ(typed("\x1b[1\x1b[Ax"), "x");
}

TEST(TerminalInput, OtherBytesTypeNothing) {
    std::string bytes;
    for (int c = 0; c < 0x100; ++c)
        if (c < ' ' && c != '\r' && c != '\n' && c != '\b' && c != 0x1B) bytes += static_cast<char>(c);
    for (int c = 0x80; c < 0x100; ++c) bytes += static_cast<char>(c);
    EXPECT_EQ(typed(bytes), "");
    EXPECT_EQ(typed("caf\xc3\xa9!"), "caf!");  // UTF-8 is beyond ASCII
}

TEST(TerminalInput, NoBytesSwallowAnEnter) {
    std::mt19937 random(19);
    for (int round = 0; round < 1000; ++round) {
        TerminalInput input;
        std::string noise;
        for (int i = random() % 12; i > 0; --i) noise += static_cast<char>(random() % 0x100);
        typed(input, noise);
        EXPECT_EQ(typed(input, "\rok"), "\nok") << "after " << ::testing::PrintToString(noise);
    }
}

}  // namespace
