// Host tests for the VGA text writer against a trapped cell grid with guard cells around it, so a write out of
// bounds is caught, and every test ends by checking that the writer never read video memory.
#include "drivers/vga_text.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "trapped_memory.hpp"

using namespace kernel::drivers;

namespace {

constexpr uint32_t kColumns = 10;
constexpr uint32_t kRows = 4;
constexpr uint32_t kStride = 12;  // two cells of padding per row, like a wider pitch
constexpr uint32_t kGuard = 16;
constexpr uint32_t kCells = kGuard + kRows * kStride + kGuard;
constexpr uint8_t kSentinel = '#';

class VgaTextTest : public ::testing::Test {
protected:
    VgaTextTest() : memory(kCells * sizeof(VgaCell), kSentinel), screen(grid(), kColumns, kRows, kStride) {
        screen.keep_cells_in(*storage);
        screen.clear();
    }
    ~VgaTextTest() override { EXPECT_EQ(TrappedMemory::reads(), 0u) << "the console read video memory"; }

    VgaCell* grid() { return reinterpret_cast<VgaCell*>(memory.device()) + kGuard; }
    const VgaCell* shown() const { return reinterpret_cast<const VgaCell*>(memory.view()); }

    // What the screen shows; the writer's RAM copy must agree.
    std::string row(uint32_t r) const {
        std::string text;
        for (uint32_t c = 0; c < kColumns; ++c) {
            const VgaCell cell = shown()[kGuard + r * kStride + c];
            EXPECT_EQ(screen.cell_at(r, c).character, cell.character) << r << "," << c;
            EXPECT_EQ(screen.cell_at(r, c).attribute, cell.attribute) << r << "," << c;
            text += static_cast<char>(cell.character);
        }
        return text;
    }

    void write(const std::string& text) { screen.write(text.data(), text.size()); }

    void expect_guards_untouched() {
        for (uint32_t i = 0; i < kGuard; ++i) {
            EXPECT_EQ(shown()[i].character, kSentinel);
            EXPECT_EQ(shown()[kCells - 1 - i].character, kSentinel);
        }
        for (uint32_t r = 0; r < kRows; ++r)
            for (uint32_t c = kColumns; c < kStride; ++c) EXPECT_EQ(shown()[kGuard + r * kStride + c].character, '#');
    }

    TrappedMemory memory;
    std::unique_ptr<VgaTextStorage> storage = std::make_unique<VgaTextStorage>();
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

TEST_F(VgaTextTest, BackspaceSpaceBackspaceErasesTheLastCharacter) {
    write("abc\b \bd");
    EXPECT_EQ(row(0), "abd       ");
    EXPECT_EQ(screen.cursor_column(), 3u);
}

TEST_F(VgaTextTest, BackspaceAtColumnZeroGoesToThePreviousRow) {
    write("0123456789AB\b \b\b \b\b \bx");
    EXPECT_EQ(row(0), "012345678x");
    EXPECT_EQ(row(1), "          ");
    write("\n\b\b");
    EXPECT_EQ(screen.cursor_row(), 0u);
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

TEST_F(VgaTextTest, ScrollingKeepsColours) {
    write("a");
    screen.set_colour(VgaColour::White, VgaColour::Red);
    write("b\n\n\n\n");
    EXPECT_EQ(row(0), "          ");
    EXPECT_EQ(screen.cell_at(3, 0).attribute, 0x4F);  // The new bottom row is blank in the current colours.
    write("\nX");
    EXPECT_EQ(row(3), "X         ");
}

TEST_F(VgaTextTest, ScrollStoresOnlyTheCellsThatChange) {
    write("same\nsame\nsame\nsame");
    TrappedMemory::reset_counts();
    write("\n");
    EXPECT_EQ(TrappedMemory::writes(), 4u);  // Row 3's "same" turns blank; rows 0-2 already show "same".
    EXPECT_EQ(row(2), "same      ");
    EXPECT_EQ(row(3), "          ");
}

TEST_F(VgaTextTest, RewritingTheSameTextStoresNothing) {
    write("ab");
    TrappedMemory::reset_counts();
    write("\rab");
    EXPECT_EQ(TrappedMemory::writes(), 0u);
    write("\rac");
    EXPECT_EQ(TrappedMemory::writes(), 1u);  // One cell, one 16-bit store.
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

// What GRUB left on screen is unknown, so before the first clear() a cell is stored even if RAM says it is there.
TEST(VgaTextUnsynced, StoresEveryCellUntilCleared) {
    TrappedMemory memory(kColumns * kRows * sizeof(VgaCell), kSentinel);
    auto storage = std::make_unique<VgaTextStorage>();
    VgaText screen(reinterpret_cast<VgaCell*>(memory.device()), kColumns, kRows, kColumns);
    screen.keep_cells_in(*storage);
    screen.write("  ", 2);
    EXPECT_EQ(TrappedMemory::writes(), 2u);
    EXPECT_EQ(memory.view()[0], ' ');
    EXPECT_EQ(TrappedMemory::reads(), 0u);
}

TEST(VgaTextInvalid, RejectsImpossibleGeometry) {
    auto storage = std::make_unique<VgaTextStorage>();
    VgaCell cell{};
    auto usable = [&](VgaCell* cells, uint32_t columns, uint32_t rows, uint32_t stride) {
        VgaText screen(cells, columns, rows, stride);
        screen.keep_cells_in(*storage);
        return screen.usable();
    };
    EXPECT_TRUE(usable(&cell, 80, 25, 80));
    EXPECT_FALSE(usable(nullptr, 80, 25, 80));
    EXPECT_FALSE(usable(&cell, 0, 25, 80));
    EXPECT_FALSE(usable(&cell, 80, 0, 80));
    EXPECT_FALSE(usable(&cell, 80, 25, 79));
    EXPECT_FALSE(VgaText(&cell, 80, 25, 80).usable());  // No RAM for the text yet.
    VgaText unusable(nullptr, 80, 25, 80);
    unusable.keep_cells_in(*storage);
    unusable.put_char('x');  // must not crash
    unusable.clear();
}

TEST(VgaTextInvalid, KeepsTheTopRowsThatFitOnHugeGrids) {
    auto storage = std::make_unique<VgaTextStorage>();
    VgaCell cell{};
    VgaText screen(&cell, 200, 100, 200);  // Never drawn: one cell stands in for the screen.
    screen.keep_cells_in(*storage);
    EXPECT_EQ(screen.columns(), 200u);
    EXPECT_EQ(screen.rows(), kMaxVgaTextCells / 200);
}

TEST(VgaAttribute, PacksBackgroundHighForegroundLow) {
    EXPECT_EQ(vga_attribute(VgaColour::White, VgaColour::Red), 0x4F);
    EXPECT_EQ(vga_attribute(VgaColour::LightGrey, VgaColour::Black), 0x07);
}
