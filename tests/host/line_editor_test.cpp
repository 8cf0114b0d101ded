// Host tests of the prompt's line editing.
#include "console/line_editor.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using kernel::console::LineEditor;

std::string type(LineEditor& editor, const std::string& keys) {
    std::string echoed;
    for (char c : keys) {
        const LineEditor::Echo echo = editor.type(c);
        echoed.append(echo.text, echo.length);
    }
    return echoed;
}

TEST(LineEditor, PrintableCharactersEchoAndCollect) {
    LineEditor editor;
    EXPECT_EQ(type(editor, "Hi there!"), "Hi there!");
    EXPECT_EQ(std::string(editor.line(), editor.length()), "Hi there!");
}

TEST(LineEditor, BackspaceErasesTheLastCharacter) {
    LineEditor editor;
    EXPECT_EQ(type(editor, "ab\b"), "ab\b \b");
    EXPECT_EQ(std::string(editor.line(), editor.length()), "a");
}

TEST(LineEditor, BackspaceOnAnEmptyLineNeverErasesThePrompt) {
    LineEditor editor;
    EXPECT_EQ(type(editor, "\b\bx\b\b"), "x\b \b");
    EXPECT_EQ(editor.length(), 0u);
}

TEST(LineEditor, EnterEndsTheLineAndTheNextStartsEmpty) {
    LineEditor editor;
    const std::string echoed = type(editor, "one");
    const LineEditor::Echo enter = editor.type('\n');
    EXPECT_EQ(echoed + std::string(enter.text, enter.length), "one\n");
    EXPECT_TRUE(enter.line_done);
    EXPECT_EQ(std::string(editor.line(), editor.length()), "one");
    EXPECT_EQ(type(editor, "\b"), "");
    EXPECT_EQ(type(editor, "two"), "two");
    EXPECT_EQ(std::string(editor.line(), editor.length()), "two");
}

TEST(LineEditor, ControlCharactersEchoNothing) {
    LineEditor editor;
    EXPECT_EQ(type(editor, std::string("\t\x1b\x01\x7f", 4)), "");
    EXPECT_EQ(editor.length(), 0u);
}

TEST(LineEditor, AFullLineTakesNoMore) {
    LineEditor editor;
    EXPECT_EQ(type(editor, std::string(LineEditor::kCapacity + 5, 'x')), std::string(LineEditor::kCapacity, 'x'));
    EXPECT_EQ(type(editor, "\by"), "\b \by");
}

}  // namespace
