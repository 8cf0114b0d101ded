// Host tests of the shell's line editing.
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

TEST(LineEditor, ALineThatFitsExactlyIsNotTooLong) {
    LineEditor editor;
    (void)type(editor, std::string(LineEditor::kCapacity, 'x'));
    EXPECT_TRUE(editor.type('\n').line_done);
    EXPECT_FALSE(editor.too_long());
    EXPECT_EQ(editor.length(), LineEditor::kCapacity);
}

TEST(LineEditor, ALongerLineIsRefusedAtEnterWithNothingOverwritten) {
    LineEditor editor;
    const std::string fits = "echo " + std::string(LineEditor::kCapacity - 5, 'a');
    (void)type(editor, fits);
    EXPECT_FALSE(editor.too_long());
    EXPECT_EQ(type(editor, "; reboot"), "");  // dropped, unseen, and the buffer's end untouched
    EXPECT_TRUE(editor.too_long());
    EXPECT_EQ(std::string(editor.line(), editor.length()), fits);
    // Erasing does not make it whole again: the dropped part is gone.
    EXPECT_EQ(type(editor, "\b"), "\b \b");
    EXPECT_TRUE(editor.too_long());
    const LineEditor::Echo enter = editor.type('\n');
    EXPECT_TRUE(enter.line_done);
    EXPECT_TRUE(editor.too_long());
}

TEST(LineEditor, TheLineAfterARefusedOneStartsAfresh) {
    LineEditor editor;
    (void)type(editor, std::string(LineEditor::kCapacity + 1, 'x') + "\n");
    EXPECT_TRUE(editor.too_long());
    EXPECT_EQ(type(editor, "ps"), "ps");
    EXPECT_FALSE(editor.too_long());
    EXPECT_EQ(std::string(editor.line(), editor.length()), "ps");
}

}  // namespace
