// Host tests for the VGA text writer against an in-memory cell grid with
// guard cells around it, so a write out of bounds is caught.
#include "drivers/vga_text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace kernel::drivers;

namespace {

constexpr uint32_t kColumns = 10;
constexpr uint32_t kRows = 4;
constexpr uint32_t kStride = 12;  // two cells of padding per row, like a wider pitch
constexpr uint32_t kGuard = 16;
constexpr VgaCell kSentinel{'#', 0x77};

class VgaTextTest : public ::testing::Test {
protected:
    VgaTextTest() : memory(kGuard + kRows * kStride + kGuard, kSentinel), screen(grid(), kColumns, kRows, kStride) {
        screen.clear();
    }

    VgaCell* grid() { return memory.data() + kGuard; }

    std::string row(uint32_t r) const {
        std::string text;
        for (uint32_t c = 0; c < kColumns; ++c) text += static_cast<char>(screen.cell_at(r, c).character);
        return text;
    }

    void write(const std::string& text) { screen.write(text.data(), text.size()); }

    void expect_guards_untouched() {
        for (uint32_t i = 0; i < kGuard; ++i) {
            EXPECT_EQ(memory[i].character, '#');
            EXPECT_EQ(memory[memory.size() - 1 - i].character, '#');
        }
        for (uint32_t r = 0; r < kRows; ++r)
            for (uint32_t c = kColumns; c < kStride; ++c) EXPECT_EQ(grid()[r * kStride + c].character, '#');
    }

    std::vector<VgaCell> memory;
    VgaText screen;
};

}  // namespace

TEST_F(VgaTextTest, ClearBlanksTheGridOnly) {
    for (uint32_t r = 0; r < kRows; ++r) EXPECT_EQ(row(r), std::string(kColumns, ' '));
    expect_guards_untouched();
}

TEST_F(VgaTextTest, WritesCharactersWithTheCurrentAttribute) {
    screen.set_colour(VgaColour::Yellow, VgaColour::Blue);
    write("Hello");
    EXPECT_EQ(row(0), "Hello     ");
    EXPECT_EQ(screen.cell_at(0, 0).attribute, 0x1E);
    EXPECT_EQ(screen.cursor_column(), 5u);
}

TEST_F(VgaTextTest, NewlineAndCarriageReturnMoveTheCursor) {
    write("ab\ncd\rX");
    EXPECT_EQ(row(0), "ab        ");
    EXPECT_EQ(row(1), "Xd        ");
}

TEST_F(VgaTextTest, TabAdvancesToTheNextMultipleOfEight) {
    write("a\tb");
    EXPECT_EQ(row(0), "a       b ");
}

TEST_F(VgaTextTest, LongLinesWrap) {
    write("0123456789AB");
    EXPECT_EQ(row(0), "0123456789");
    EXPECT_EQ(row(1), "AB        ");
    expect_guards_untouched();
}

TEST_F(VgaTextTest, WritingPastTheLastRowScrolls) {
    write("one\ntwo\nthree\nfour\nfive");
    EXPECT_EQ(row(0), "two       ");
    EXPECT_EQ(row(1), "three     ");
    EXPECT_EQ(row(2), "four      ");
    EXPECT_EQ(row(3), "five      ");
    EXPECT_EQ(screen.cursor_row(), kRows - 1);
    expect_guards_untouched();
}

TEST_F(VgaTextTest, NonPrintableBytesShowTheReplacementCharacter) {
    write("\x01\xC3");
    EXPECT_EQ(screen.cell_at(0, 0).character, VgaText::kReplacementCharacter);
    EXPECT_EQ(screen.cell_at(0, 1).character, VgaText::kReplacementCharacter);
}

TEST_F(VgaTextTest, OutOfRangeReadsAreBlank) {
    EXPECT_EQ(screen.cell_at(kRows, 0).character, ' ');
    EXPECT_EQ(screen.cell_at(0, kColumns).character, ' ');
}

TEST(VgaTextInvalid, RejectsImpossibleGeometry) {
    VgaCell cell{};
    EXPECT_FALSE(VgaText(nullptr, 80, 25, 80).usable());
    EXPECT_FALSE(VgaText(&cell, 0, 25, 80).usable());
    EXPECT_FALSE(VgaText(&cell, 80, 25, 79).usable());
    VgaText unusable(nullptr, 80, 25, 80);
    unusable.put_char('x');  // must not crash
}

TEST(VgaAttribute, PacksBackgroundHighForegroundLow) {
    EXPECT_EQ(vga_attribute(VgaColour::White, VgaColour::Red), 0x4F);
    EXPECT_EQ(vga_attribute(VgaColour::LightGrey, VgaColour::Black), 0x07);
}
