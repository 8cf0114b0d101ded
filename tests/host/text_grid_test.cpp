// Host tests for the console's text grid: cursor, newline, tab, backspace, wrapping and scrolling, against a fake
// screen that keeps what it was asked to draw, so every test sees both the grid's RAM and what reached the screen.
#include "console/text_grid.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

using kernel::console::TextGrid;
using kernel::console::TextGridStorage;
using kernel::drivers::TextCell;
using kernel::drivers::TextScreen;

namespace {

constexpr uint32_t kColumns = 10;
constexpr uint32_t kRows = 4;
constexpr uint8_t kPlain = 0x07;
constexpr uint8_t kLoud = 0x4F;
// What the fake screen shows before anything is drawn: neither blank nor text.
constexpr TextCell kUnknown{'#', 0xEE};

// Shows text in RAM and counts what it is asked to do; stands in for the VGA and framebuffer screens.
class FakeScreen final : public TextScreen {
public:
    uint32_t columns() const override { return kColumns; }
    uint32_t rows() const override { return kRows; }
    uint8_t character_for(uint8_t byte) const override { return byte == '~' ? '-' : byte; }
    void draw(uint32_t row, uint32_t first, const TextCell* cells, uint32_t count) override {
        EXPECT_LT(row, kRows);
        EXPECT_LE(first + count, kColumns);
        ++draws;
        drawn += count;
        for (uint32_t i = 0; i < count; ++i) shown[row * kColumns + first + i] = cells[i];
    }
    void clear(TextCell blank) override {
        ++clears;
        for (TextCell& cell : shown) cell = blank;
    }

    std::vector<TextCell> shown = std::vector<TextCell>(kColumns * kRows, kUnknown);
    size_t draws = 0;
    size_t drawn = 0;
    size_t clears = 0;
};

class TextGridTest : public ::testing::Test {
protected:
    TextGridTest() : grid(screen, *storage, kPlain) { grid.clear(); }

    // What the screen shows on row `r`; the grid's RAM must agree.
    std::string row(uint32_t r) const {
        std::string text;
        for (uint32_t c = 0; c < kColumns; ++c) {
            const TextCell cell = screen.shown[r * kColumns + c];
            EXPECT_EQ(grid.cell_at(r, c), cell) << r << "," << c;
            text += static_cast<char>(cell.character);
        }
        return text;
    }
    void write(const std::string& text) { grid.write(text.data(), text.size()); }

    FakeScreen screen;
    std::unique_ptr<TextGridStorage> storage = std::make_unique<TextGridStorage>();
    TextGrid grid;
};

}  // namespace

TEST_F(TextGridTest, ClearBlanksEveryCellAndHomesTheCursor) {
    write("ab\ncd");
    grid.clear();
    EXPECT_EQ(screen.clears, 2u);
    for (uint32_t r = 0; r < kRows; ++r) EXPECT_EQ(row(r), std::string(kColumns, ' '));
    EXPECT_EQ(grid.cursor_row(), 0u);
    EXPECT_EQ(grid.cursor_column(), 0u);
}

TEST_F(TextGridTest, WritesCharactersInTheCurrentColours) {
    grid.set_colours(kLoud);
    write("Hi");
    EXPECT_EQ(row(0), "Hi        ");
    EXPECT_EQ(grid.cell_at(0, 1), (TextCell{'i', kLoud}));
    EXPECT_EQ(grid.cursor_column(), 2u);
}

TEST_F(TextGridTest, TheScreenChoosesTheCharacterForEachByte) {
    write("a~b");
    EXPECT_EQ(row(0), "a-b       ");
}

TEST_F(TextGridTest, NewlineAndCarriageReturnMoveTheCursor) {
    write("ab\ncd\rX");
    EXPECT_EQ(row(0), "ab        ");
    EXPECT_EQ(row(1), "Xd        ");
}

TEST_F(TextGridTest, TabAdvancesToTheNextMultipleOfEightWithoutDrawing) {
    write("a");
    const size_t drawn = screen.drawn;
    write("\t");
    EXPECT_EQ(screen.drawn, drawn);
    write("b");
    EXPECT_EQ(row(0), "a       b ");
    write("\t");
    EXPECT_EQ(grid.cursor_column(), kColumns);  // The second tab parks at the right edge instead of wrapping.
    write("c");
    EXPECT_EQ(row(1), "c         ");
}

TEST_F(TextGridTest, BackspaceSpaceBackspaceErasesTheLastCharacter) {
    write("abc\b \bd");
    EXPECT_EQ(row(0), "abd       ");
    EXPECT_EQ(grid.cursor_column(), 3u);
}

TEST_F(TextGridTest, BackspaceAtColumnZeroGoesToThePreviousRow) {
    write("0123456789AB\b \b\b \b\b \bx");
    EXPECT_EQ(row(0), "012345678x");
    EXPECT_EQ(row(1), "          ");
    write("\n\b\b");
    EXPECT_EQ(grid.cursor_row(), 0u);
}

TEST_F(TextGridTest, LongLinesWrapOnlyWhenAnotherCharacterFollows) {
    write("0123456789AB");
    EXPECT_EQ(row(0), "0123456789");
    EXPECT_EQ(row(1), "AB        ");
    write("\nabcdefghij\nQ");
    EXPECT_EQ(row(2), "abcdefghij");
    EXPECT_EQ(row(3), "Q         ");  // A full line then '\n' takes one row, not two.
}

TEST_F(TextGridTest, WritingPastTheLastRowScrolls) {
    write("one\ntwo\nthree\nfour\nfive");
    EXPECT_EQ(row(0), "two       ");
    EXPECT_EQ(row(1), "three     ");
    EXPECT_EQ(row(2), "four      ");
    EXPECT_EQ(row(3), "five      ");
    EXPECT_EQ(grid.cursor_row(), kRows - 1);
}

TEST_F(TextGridTest, ScrollingKeepsColours) {
    write("a");
    grid.set_colours(kLoud);
    write("b\n\n\n\n");
    EXPECT_EQ(row(0), "          ");
    EXPECT_EQ(grid.cell_at(3, 0).colours, kLoud);  // The new bottom row is blank in the current colours.
    write("\nX");
    EXPECT_EQ(row(3), "X         ");
}

TEST_F(TextGridTest, ScrollDrawsOnlyTheCellsThatChange) {
    write("same\nsame\nsa e\nsame");
    screen.draws = screen.drawn = 0;
    write("\n");
    // Row 0 keeps "same"; rows 1 and 2 change one cell each; row 3's four characters turn blank in one run.
    EXPECT_EQ(screen.draws, 3u);
    EXPECT_EQ(screen.drawn, 1u + 1u + 4u);
    EXPECT_EQ(row(0), "same      ");
    EXPECT_EQ(row(1), "sa e      ");
    EXPECT_EQ(row(2), "same      ");
    EXPECT_EQ(row(3), "          ");
}

TEST_F(TextGridTest, RewritingTheSameTextDrawsNothing) {
    write("ab");
    screen.drawn = 0;
    write("\rab");
    EXPECT_EQ(screen.drawn, 0u);
    write("\rac");
    EXPECT_EQ(screen.drawn, 1u);
}

TEST_F(TextGridTest, OutOfRangeReadsAreBlank) {
    EXPECT_EQ(grid.cell_at(kRows, 0), (TextCell{' ', kPlain}));
    EXPECT_EQ(grid.cell_at(0, kColumns), (TextCell{' ', kPlain}));
}

TEST_F(TextGridTest, CellsListsEveryCellRowAfterRow) {
    write("\nz");
    ASSERT_EQ(grid.cells().size(), size_t{kColumns} * kRows);
    EXPECT_EQ(grid.cells()[kColumns].character, 'z');
}

// What the loader left on screen is unknown, so before the first clear() a cell is drawn even if RAM says it is
// there, and scrolling draws whole rows: cells never drawn move up as blanks.
TEST(TextGridUnsynced, DrawsEveryCellUntilCleared) {
    FakeScreen screen;
    auto storage = std::make_unique<TextGridStorage>();
    TextGrid grid(screen, *storage, kPlain);
    EXPECT_EQ(grid.cell_at(0, 0), (TextCell{' ', kPlain}));
    grid.write("  ", 2);
    EXPECT_EQ(screen.drawn, 2u);
    EXPECT_EQ(screen.shown[0], (TextCell{' ', kPlain}));
    EXPECT_EQ(screen.shown[2], kUnknown);
    grid.write("\n\n\n\n", 4);
    for (const TextCell& cell : screen.shown) EXPECT_EQ(cell, (TextCell{' ', kPlain}));
    EXPECT_EQ(screen.clears, 0u);
}

constinit TextGrid g_not_yet_attached;

TEST(TextGridDetached, DefaultConstructedIsUnusableNoOp) {
    EXPECT_FALSE(g_not_yet_attached.usable());
    g_not_yet_attached.write("A\n", 2);
    g_not_yet_attached.clear();
    EXPECT_EQ(g_not_yet_attached.columns(), 0u);
    EXPECT_EQ(g_not_yet_attached.cursor_row(), 0u);
    EXPECT_EQ(g_not_yet_attached.cells().size(), 0u);
}
