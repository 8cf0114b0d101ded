// Host tests for the VGA text screen under the console's text grid (whose own logic text_grid_test.cpp tests), against
// trapped cells with guard cells around them, so a write out of bounds is caught and a read of video memory counted.
#include "drivers/vga_text.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "console/text_grid.hpp"
#include "trapped_memory.hpp"

using namespace kernel::drivers;
using kernel::console::TextGrid;
using kernel::console::TextGridStorage;

namespace {

constexpr uint32_t kColumns = 10;
constexpr uint32_t kRows = 4;
constexpr uint32_t kStride = 12;  // two cells of padding per row, like a wider pitch
constexpr uint32_t kGuard = 16;
constexpr uint32_t kCells = kGuard + kRows * kStride + kGuard;
constexpr uint8_t kSentinel = '#';

class VgaTextTest : public ::testing::Test {
protected:
    VgaTextTest()
        : memory(kCells * sizeof(VgaCell), kSentinel),
          screen(grid(), kColumns, kRows, kStride),
          text(screen, *storage, VgaText::kDefaultColours) {
        text.clear();
    }
    ~VgaTextTest() override { EXPECT_EQ(TrappedMemory::reads(), 0u) << "the console read video memory"; }

    VgaCell* grid() { return reinterpret_cast<VgaCell*>(memory.device()) + kGuard; }
    const VgaCell* shown() const { return reinterpret_cast<const VgaCell*>(memory.view()); }

    // What the screen shows; the grid's RAM copy must agree.
    std::string row(uint32_t r) const {
        std::string line;
        for (uint32_t c = 0; c < kColumns; ++c) {
            const VgaCell cell = shown()[kGuard + r * kStride + c];
            EXPECT_EQ(text.cell_at(r, c).character, cell.character) << r << "," << c;
            EXPECT_EQ(text.cell_at(r, c).colours, cell.attribute) << r << "," << c;
            line += static_cast<char>(cell.character);
        }
        return line;
    }

    void write(const std::string& line) { text.write(line.data(), line.size()); }

    void expect_guards_untouched() {
        for (uint32_t i = 0; i < kGuard; ++i) {
            EXPECT_EQ(shown()[i].character, kSentinel);
            EXPECT_EQ(shown()[kCells - 1 - i].character, kSentinel);
        }
        for (uint32_t r = 0; r < kRows; ++r)
            for (uint32_t c = kColumns; c < kStride; ++c) EXPECT_EQ(shown()[kGuard + r * kStride + c].character, '#');
    }

    TrappedMemory memory;
    VgaText screen;
    std::unique_ptr<TextGridStorage> storage = std::make_unique<TextGridStorage>();
    TextGrid text;
};

}  // namespace

TEST_F(VgaTextTest, ClearBlanksTheGridOnly) {
    for (uint32_t r = 0; r < kRows; ++r) EXPECT_EQ(row(r), std::string(kColumns, ' '));
    expect_guards_untouched();
}

TEST_F(VgaTextTest, WritesCharactersWithTheCurrentAttribute) {
    text.set_colours(vga_attribute(VgaColour::Yellow, VgaColour::Blue));
    write("Hello");
    EXPECT_EQ(row(0), "Hello     ");
    EXPECT_EQ(text.cell_at(0, 0).colours, 0x1E);
    EXPECT_EQ(text.cursor_column(), 5u);
}

TEST_F(VgaTextTest, WrappingAndScrollingStayInsideTheGrid) {
    write("0123456789AB");
    EXPECT_EQ(row(0), "0123456789");
    EXPECT_EQ(row(1), "AB        ");
    expect_guards_untouched();
    write("\ntwo\nthree\nfour\nfive");
    EXPECT_EQ(row(0), "two       ");
    EXPECT_EQ(row(1), "three     ");
    EXPECT_EQ(row(2), "four      ");
    EXPECT_EQ(row(3), "five      ");
    expect_guards_untouched();
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
    EXPECT_EQ(text.cell_at(0, 0).character, VgaText::kReplacementCharacter);
    EXPECT_EQ(text.cell_at(0, 1).character, VgaText::kReplacementCharacter);
    EXPECT_EQ(row(0)[1], static_cast<char>(VgaText::kReplacementCharacter));
}

// What GRUB left on screen is unknown, so before the first clear() a cell is stored even if RAM says it is there.
TEST(VgaTextUnsynced, StoresEveryCellUntilCleared) {
    TrappedMemory memory(kColumns * kRows * sizeof(VgaCell), kSentinel);
    auto storage = std::make_unique<TextGridStorage>();
    VgaText screen(reinterpret_cast<VgaCell*>(memory.device()), kColumns, kRows, kColumns);
    TextGrid text(screen, *storage, VgaText::kDefaultColours);
    text.write("  ", 2);
    EXPECT_EQ(TrappedMemory::writes(), 2u);
    EXPECT_EQ(memory.view()[0], ' ');
    EXPECT_EQ(TrappedMemory::reads(), 0u);
}

TEST(VgaTextInvalid, RejectsImpossibleGeometry) {
    VgaCell cell{};
    auto usable = [&](VgaCell* cells, uint32_t columns, uint32_t rows, uint32_t stride) {
        return VgaText(cells, columns, rows, stride).usable();
    };
    EXPECT_TRUE(usable(&cell, 80, 25, 80));
    EXPECT_FALSE(usable(nullptr, 80, 25, 80));
    EXPECT_FALSE(usable(&cell, 0, 25, 80));
    EXPECT_FALSE(usable(&cell, 80, 0, 80));
    EXPECT_FALSE(usable(&cell, 80, 25, 79));
    EXPECT_FALSE(VgaText().usable());
    VgaText unusable(nullptr, 80, 25, 80);
    const TextCell x{'x', VgaText::kDefaultColours};
    unusable.draw(0, 0, &x, 1);  // must not crash
    unusable.clear(x);
}

TEST(VgaTextInvalid, KeepsTheTopRowsThatFitOnHugeGrids) {
    VgaCell cell{};
    VgaText screen(&cell, 200, 100, 200);  // Never drawn: one cell stands in for the screen.
    EXPECT_EQ(screen.columns(), 200u);
    EXPECT_EQ(screen.rows(), kMaxVgaTextCells / 200);
}

TEST(VgaAttribute, PacksBackgroundHighForegroundLow) {
    EXPECT_EQ(vga_attribute(VgaColour::White, VgaColour::Red), 0x4F);
    EXPECT_EQ(vga_attribute(VgaColour::LightGrey, VgaColour::Black), 0x07);
}
