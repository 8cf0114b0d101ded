// Host tests for the framebuffer text screen under the console's text grid (whose own logic text_grid_test.cpp
// tests), checked pixel by pixel against font bitmaps in TrappedMemory that must never be read.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "console/text_grid.hpp"
#include "drivers/framebuffer.hpp"
#include "drivers/psf.hpp"
#include "psf_fonts.hpp"
#include "trapped_memory.hpp"

using namespace kernel::drivers;
using kernel::Error;
using kernel::ErrorOr;
using kernel::console::TextGrid;
using kernel::console::TextGridStorage;

namespace {

constexpr uint8_t kSentinel = 0xA5;
constexpr size_t kGuardBytes = 64;

struct Layout {
    uint8_t red_position, red_size, green_position, green_size, blue_position, blue_size;
};
constexpr Layout kBgrx{16, 8, 8, 8, 0, 8};
constexpr Layout kRgbx{0, 8, 8, 8, 16, 8};
constexpr Layout kRgb565{11, 5, 5, 6, 0, 5};
constexpr Layout kRgb555{10, 5, 5, 5, 0, 5};

constexpr uint32_t bytes_per_pixel(uint8_t bpp) {
    return (bpp + 7u) / 8u;
}

// A framebuffer in trapped memory: every byte starts as a sentinel and guard bytes follow the last row. Checks read
// the untrapped view; the console gets the trapped one, and must never have read it when the screen goes away.
struct Screen {
    TrappedMemory memory;
    FramebufferSpec spec;
    std::unique_ptr<FramebufferTextStorage> storage = std::make_unique<FramebufferTextStorage>();
    std::unique_ptr<TextGridStorage> cells = std::make_unique<TextGridStorage>();
    FramebufferText screen;
    TextGrid text;

    Screen(uint32_t width, uint32_t height, uint8_t bpp, Layout l, uint32_t padding = 0)
        : memory(static_cast<size_t>(width * bytes_per_pixel(bpp) + padding) * height + kGuardBytes, kSentinel) {
        spec = {memory.device(),
                width * bytes_per_pixel(bpp) + padding,
                width,
                height,
                bpp,
                l.red_position,
                l.red_size,
                l.green_position,
                l.green_size,
                l.blue_position,
                l.blue_size};
    }
    ~Screen() { EXPECT_EQ(TrappedMemory::reads(), 0u) << "the console read video memory"; }

    // The console's text on this screen; a spec the screen refuses fails the test (panic() throws on the host).
    TextGrid& console(const Font& font) {
        screen = FramebufferText::create(spec, font, *storage).release_value();
        text = TextGrid(screen, *cells, FramebufferText::kDefaultColours);
        return text;
    }
    void set_colour(Rgb foreground, Rgb background) {
        text.set_colours(screen.colours(foreground, background, text.cells()));
    }
    size_t size() const { return memory.size(); }
    const uint8_t* bytes() const { return memory.view(); }
    const uint8_t* pixel(uint32_t x, uint32_t y) const {
        return bytes() + y * spec.pitch + x * bytes_per_pixel(spec.bpp);
    }
    bool bytes_are_sentinel(size_t from, size_t to) const {
        for (size_t i = from; i < to; ++i)
            if (bytes()[i] != kSentinel) return false;
        return true;
    }
    bool guard_intact() const { return bytes_are_sentinel(size() - kGuardBytes, size()); }
    bool padding_intact() const {
        const size_t row_bytes = spec.width * bytes_per_pixel(spec.bpp);
        for (uint32_t y = 0; y < spec.height; ++y)
            if (!bytes_are_sentinel(y * spec.pitch + row_bytes, (y + 1) * spec.pitch)) return false;
        return true;
    }
    bool rect_is(uint32_t x0, uint32_t y0, uint32_t w, uint32_t h, const Bytes& colour) const {
        for (uint32_t y = y0; y < y0 + h; ++y)
            for (uint32_t x = x0; x < x0 + w; ++x)
                if (!std::equal(colour.begin(), colour.end(), pixel(x, y))) return false;
        return true;
    }
};

// Compares one text cell with the bitmap, reading the font bytes directly rather than through Font::glyph.
testing::AssertionResult cell_shows(const Screen& s, const Font& font, const uint8_t* bitmap, uint32_t column,
                                    uint32_t row, const Bytes& fg, const Bytes& bg) {
    for (uint32_t y = 0; y < font.height; ++y) {
        for (uint32_t x = 0; x < font.width; ++x) {
            const bool on = bitmap[y * font.bytes_per_row + x / 8] & (0x80 >> (x % 8));
            const Bytes& want = on ? fg : bg;
            const uint8_t* got = s.pixel(column * font.width + x, row * font.height + y);
            if (!std::equal(want.begin(), want.end(), got))
                return testing::AssertionFailure() << "cell " << column << "," << row << " pixel " << x << "," << y;
        }
    }
    return testing::AssertionSuccess();
}

// The crafted test font: 10x7 pixels (two bytes per row), 128 glyphs in ASCII order, no Unicode table.
class FramebufferTextTest : public testing::Test {
protected:
    Bytes font_bytes = make_psf2(Psf2Header{});
    Font font = parse(font_bytes).value();
    const uint8_t* bitmap(char c) const { return font_bytes.data() + 32 + static_cast<uint8_t>(c) * 14; }
    const Bytes white{0xFF, 0xFF, 0xFF, 0x00};
    const Bytes black{0x00, 0x00, 0x00, 0x00};
    testing::AssertionResult shows(const Screen& s, char c, uint32_t column, uint32_t row) const {
        return cell_shows(s, font, bitmap(c), column, row, white, black);
    }
};

}  // namespace

TEST_F(FramebufferTextTest, DrawsGlyphAtOriginBgrx32) {
    Screen s(64, 30, 32, kBgrx);
    TextGrid& text = s.console(font);
    ASSERT_TRUE(text.usable());
    EXPECT_EQ(text.columns(), 6u);
    EXPECT_EQ(text.rows(), 4u);
    s.set_colour({0x12, 0x34, 0x56}, {0x9A, 0xBC, 0xDE});
    text.put_char('A');
    EXPECT_TRUE(cell_shows(s, font, bitmap('A'), 0, 0, {0x56, 0x34, 0x12, 0x00}, {0xDE, 0xBC, 0x9A, 0x00}));
    EXPECT_TRUE(s.bytes_are_sentinel(10 * 4, s.spec.pitch));        // Right of the cell.
    EXPECT_TRUE(s.bytes_are_sentinel(7 * s.spec.pitch, s.size()));  // Below it.
    EXPECT_EQ(text.cursor_column(), 1u);
}

TEST_F(FramebufferTextTest, DrawsGlyph24Bit) {
    Screen s(64, 30, 24, kBgrx);
    TextGrid& text = s.console(font);
    s.set_colour({0x12, 0x34, 0x56}, {0x9A, 0xBC, 0xDE});
    text.put_char('g');
    EXPECT_TRUE(cell_shows(s, font, bitmap('g'), 0, 0, {0x56, 0x34, 0x12}, {0xDE, 0xBC, 0x9A}));
    EXPECT_TRUE(s.bytes_are_sentinel(10 * 3, s.spec.pitch));
}

TEST_F(FramebufferTextTest, DrawsGlyphRgb565) {
    Screen s(64, 30, 16, kRgb565);
    TextGrid& text = s.console(font);
    s.set_colour({0x12, 0x34, 0x56}, {0xFF, 0xFF, 0xFF});
    text.put_char('%');
    // r 0x12>>3 = 2, g 0x34>>2 = 13, b 0x56>>3 = 10: 2<<11 | 13<<5 | 10 = 0x11AA.
    EXPECT_TRUE(cell_shows(s, font, bitmap('%'), 0, 0, {0xAA, 0x11}, {0xFF, 0xFF}));
}

TEST_F(FramebufferTextTest, DrawsGlyphRgb555) {
    Screen s(64, 30, 15, kRgb555);
    TextGrid& text = s.console(font);
    ASSERT_TRUE(text.usable());
    s.set_colour({0x12, 0x34, 0x56}, {0xFF, 0xFF, 0xFF});
    text.put_char('%');
    // r 0x12>>3 = 2, g 0x34>>3 = 6, b 0x56>>3 = 10: 2<<10 | 6<<5 | 10 = 0x08CA; white leaves the top bit clear.
    EXPECT_TRUE(cell_shows(s, font, bitmap('%'), 0, 0, {0xCA, 0x08}, {0xFF, 0x7F}));
    EXPECT_TRUE(s.bytes_are_sentinel(10 * 2, s.spec.pitch));
}

TEST_F(FramebufferTextTest, HonoursNonStandardFieldLayout) {
    Screen s(64, 30, 32, kRgbx);
    TextGrid& text = s.console(font);
    s.set_colour({0x12, 0x34, 0x56}, {0x00, 0x00, 0x80});
    text.put_char('Q');
    EXPECT_TRUE(cell_shows(s, font, bitmap('Q'), 0, 0, {0x12, 0x34, 0x56, 0x00}, {0x00, 0x00, 0x80, 0x00}));
}

TEST_F(FramebufferTextTest, ClearPaintsBackgroundAndLeavesPitchPadding) {
    Screen s(64, 30, 32, kBgrx, 12);
    TextGrid& text = s.console(font);
    s.set_colour({0xFF, 0xFF, 0xFF}, {0x01, 0x02, 0x03});
    text.write("xy", 2);
    text.clear();
    EXPECT_TRUE(s.rect_is(0, 0, 64, 30, {0x03, 0x02, 0x01, 0x00}));
    EXPECT_TRUE(s.padding_intact());
    EXPECT_TRUE(s.guard_intact());
    EXPECT_EQ(text.cursor_column(), 0u);
}

TEST_F(FramebufferTextTest, ScrollsWhenPastLastRow) {
    Screen s(64, 30, 32, kBgrx, 8);
    TextGrid& text = s.console(font);
    const std::string lines = "L0\nL1\nL2\nL3\n";
    text.write(lines.data(), lines.size());
    EXPECT_TRUE(shows(s, 'L', 0, 0));
    EXPECT_TRUE(shows(s, '1', 1, 0));
    EXPECT_TRUE(shows(s, '2', 1, 1));
    EXPECT_TRUE(shows(s, '3', 1, 2));
    EXPECT_TRUE(s.rect_is(0, 21, 64, 7, black));
    EXPECT_TRUE(s.rect_is(20, 0, 44, 21, black));  // Cells never drawn scroll up as blanks, not firmware debris.
    EXPECT_EQ(text.cursor_row(), 3u);
    EXPECT_TRUE(s.bytes_are_sentinel(28 * s.spec.pitch, s.size()));  // Rows below the text area.
    EXPECT_TRUE(s.padding_intact());
    EXPECT_TRUE(s.guard_intact());
}

TEST_F(FramebufferTextTest, ColourChangesAffectOnlyLaterGlyphs) {
    Screen s(64, 30, 32, kBgrx);
    TextGrid& text = s.console(font);
    text.put_char('R');
    s.set_colour({0xFF, 0x00, 0x00}, {0x00, 0x00, 0xFF});
    text.put_char('R');
    EXPECT_TRUE(shows(s, 'R', 0, 0));
    EXPECT_TRUE(cell_shows(s, font, bitmap('R'), 1, 0, {0x00, 0x00, 0xFF, 0x00}, {0xFF, 0x00, 0x00, 0x00}));
}

TEST_F(FramebufferTextTest, RejectsUnusableSpecs) {
    Screen s(64, 30, 32, kBgrx);
    auto error_with = [&](auto edit, const Font& f) -> std::optional<Error> {
        FramebufferSpec spec = s.spec;
        edit(spec);
        const ErrorOr<FramebufferText> screen = FramebufferText::create(spec, f, *s.storage);
        if (!screen.is_error()) return std::nullopt;
        return screen.error();
    };
    auto error_for = [&](auto edit) { return error_with(edit, font); };
    EXPECT_EQ(error_for([](FramebufferSpec&) {}), std::nullopt);
    EXPECT_EQ(error_with([](FramebufferSpec&) {}, Font{}), Error::FramebufferBadFont);
    EXPECT_EQ(error_for([](FramebufferSpec& f) { f.base = nullptr; }), Error::FramebufferNullBase);
    EXPECT_EQ(error_for([](FramebufferSpec& f) { f.height = 0; }), Error::FramebufferZeroSize);
    EXPECT_EQ(error_for([](FramebufferSpec& f) { f.bpp = 8; }), Error::FramebufferBadBpp);
    EXPECT_EQ(error_for([](FramebufferSpec& f) { f.bpp = 14; }), Error::FramebufferBadBpp);
    EXPECT_EQ(error_for([](FramebufferSpec& f) { f.pitch = 64 * 4 - 1; }), Error::FramebufferPitchTooSmall);
    EXPECT_EQ(error_for([](FramebufferSpec& f) { f.red_position = 25; }), Error::FramebufferBadColourField);
    EXPECT_EQ(error_for([](FramebufferSpec& f) { f.green_size = 0; }), Error::FramebufferBadColourField);
    EXPECT_EQ(error_for([](FramebufferSpec& f) { f.bpp = 16; }), Error::FramebufferBadColourField);
    EXPECT_EQ(error_for([](FramebufferSpec& f) { f.width = 9; }), Error::FramebufferTooSmallForGlyph);
    EXPECT_EQ(error_for([](FramebufferSpec& f) { f.height = 6; }), Error::FramebufferTooSmallForGlyph);
    FramebufferSpec bad = s.spec;
    bad.bpp = 12;
    EXPECT_TRUE(FramebufferText::create(bad, font, *s.storage).is_error());
    EXPECT_TRUE(s.bytes_are_sentinel(0, s.size()));
}

constinit FramebufferText g_not_yet_initialised;

TEST_F(FramebufferTextTest, DefaultConstructedIsUnusableNoOp) {
    EXPECT_FALSE(g_not_yet_initialised.usable());
    const TextCell a{'A', FramebufferText::kDefaultColours};
    g_not_yet_initialised.draw(0, 0, &a, 1);
    g_not_yet_initialised.clear(a);
    EXPECT_EQ(g_not_yet_initialised.columns(), 0u);
}

TEST(ErrorNames, FramebufferErrorsHaveWords) {
    for (const Error error :
         {Error::FramebufferBadFont, Error::FramebufferNullBase, Error::FramebufferZeroSize, Error::FramebufferBadBpp,
          Error::FramebufferPitchTooSmall, Error::FramebufferBadColourField, Error::FramebufferTooSmallForGlyph})
        EXPECT_STRNE(to_string(error), "unknown error");
}

TEST(FramebufferTextRealFont, RendersDebianGlyphs) {
    std::ifstream file(MINK_FONT_PSF, std::ios::binary);
    const Bytes bytes{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
    const ErrorOr<Font> result = parse(bytes);
    ASSERT_FALSE(result.is_error());
    Screen s(80, 40, 32, kBgrx);
    TextGrid& text = s.console(result.value());
    text.write("Hi!\n\xE9", 5);
    const Bytes white{0xFF, 0xFF, 0xFF, 0x00}, black{0x00, 0x00, 0x00, 0x00};
    EXPECT_TRUE(cell_shows(s, result.value(), bytes.data() + 4 + 'H' * 16, 0, 0, white, black));
    EXPECT_TRUE(cell_shows(s, result.value(), bytes.data() + 4 + '!' * 16, 2, 0, white, black));
    EXPECT_TRUE(cell_shows(s, result.value(), bytes.data() + 4 + 0x82 * 16, 0, 1, white, black));
}

// ---- The same text at every depth: wrapping, CR, LF, two scrolls, against the font bitmaps and exact colours.

struct Depth {
    uint8_t bpp;
    Layout layout;
    Bytes foreground;  // {0x12, 0x34, 0x56} packed.
    Bytes background;  // {0x9A, 0xBC, 0xDE} packed.
};

void PrintTo(const Depth& depth, std::ostream* out) {
    *out << static_cast<int>(depth.bpp) << " bpp";
}

class EveryDepthTest : public FramebufferTextTest, public testing::WithParamInterface<Depth> {};

TEST_P(EveryDepthTest, WrapsReturnsScrollsAndDrawsEveryCell) {
    const Depth& depth = GetParam();
    Screen s(64, 30, depth.bpp, depth.layout, 6);
    TextGrid& text = s.console(font);
    ASSERT_TRUE(text.usable());
    s.set_colour({0x12, 0x34, 0x56}, {0x9A, 0xBC, 0xDE});
    text.clear();
    // "Hello," fills row 0 and " world" wraps to row 1; "ab\rX" overwrites 'a'; the two blank lines and the full
    // "123456" line scroll twice, so "Hello," and " world" are gone.
    const std::string input = "Hello, world\nab\rX\n\n123456\nZ";
    text.write(input.data(), input.size());
    const char* expected[] = {"Xb    ", "      ", "123456", "Z     "};
    for (uint32_t row = 0; row < 4; ++row) {
        for (uint32_t column = 0; column < 6; ++column) {
            const char c = expected[row][column];
            if (c == ' ') {
                EXPECT_TRUE(s.rect_is(column * 10, row * 7, 10, 7, depth.background)) << row << "," << column;
            } else {
                EXPECT_TRUE(cell_shows(s, font, bitmap(c), column, row, depth.foreground, depth.background)) << c;
            }
            EXPECT_EQ(text.cell_at(row, column).character, static_cast<uint8_t>(c));
        }
    }
    EXPECT_TRUE(s.rect_is(60, 0, 4, 30, depth.background));  // Right of the last column.
    EXPECT_TRUE(s.rect_is(0, 28, 64, 2, depth.background));  // Below the last row.
    EXPECT_EQ(text.cursor_row(), 3u);
    EXPECT_EQ(text.cursor_column(), 1u);
    EXPECT_TRUE(s.padding_intact());
    EXPECT_TRUE(s.guard_intact());
}

// Expected bytes, packed by hand from {0x12, 0x34, 0x56} and {0x9A, 0xBC, 0xDE}.
INSTANTIATE_TEST_SUITE_P(Depths, EveryDepthTest,
                         testing::Values(Depth{32, kBgrx, {0x56, 0x34, 0x12, 0x00}, {0xDE, 0xBC, 0x9A, 0x00}},
                                         Depth{24, kBgrx, {0x56, 0x34, 0x12}, {0xDE, 0xBC, 0x9A}},
                                         // 565: 2<<11 | 13<<5 | 10 = 0x11AA; 19<<11 | 47<<5 | 27 = 0x9DFB.
                                         Depth{16, kRgb565, {0xAA, 0x11}, {0xFB, 0x9D}},
                                         // 555: 2<<10 | 6<<5 | 10 = 0x08CA; 19<<10 | 23<<5 | 27 = 0x4EFB.
                                         Depth{15, kRgb555, {0xCA, 0x08}, {0xFB, 0x4E}}),
                         [](const testing::TestParamInfo<Depth>& info) { return std::to_string(info.param.bpp); });

// ---- Only what changed reaches video memory.

TEST_F(FramebufferTextTest, RewritingTheSameTextStoresNothing) {
    Screen s(64, 30, 32, kBgrx);
    TextGrid& text = s.console(font);
    text.clear();
    text.write("ab", 2);
    TrappedMemory::reset_counts();
    text.write("\rab", 3);
    EXPECT_EQ(TrappedMemory::writes(), 0u);
    text.write("\rac", 3);
    EXPECT_EQ(TrappedMemory::writes(), 7u * 5u);  // One cell: 7 pixel rows of 40 bytes, 8 at a time.
    EXPECT_TRUE(shows(s, 'c', 1, 0));
}

TEST_F(FramebufferTextTest, ScrollStoresOnlyTheCellsThatChange) {
    Screen s(64, 30, 32, kBgrx);
    TextGrid& text = s.console(font);
    text.clear();
    text.write("same\nsame\nsame\nsame", 19);
    TrappedMemory::reset_counts();
    text.put_char('\n');
    // Rows 0-2 keep "same"; row 3 turns four cells blank: 7 pixel rows of 160 bytes, 8 at a time.
    EXPECT_EQ(TrappedMemory::writes(), 7u * 20u);
    for (uint32_t row = 0; row < 3; ++row) EXPECT_TRUE(shows(s, 'm', 2, row));
    EXPECT_TRUE(s.rect_is(0, 21, 64, 7, black));
}

// ---- Limits: the cell store, and colour pairs.

TEST(FramebufferTextLimits, KeepsTheTopRowsThatFitOnHugeScreens) {
    Psf2Header header;
    header.charsize = 16;
    header.height = 16;
    header.width = 8;
    const Bytes font_bytes = make_psf2(header);
    const Font font = parse(font_bytes).value();
    auto storage = std::make_unique<FramebufferTextStorage>();
    uint8_t never_drawn = 0;  // Constructing draws nothing, so one byte stands in for a screen.
    auto console = [&](uint32_t width, uint32_t height) {
        return FramebufferText::create({&never_drawn, width * 4, width, height, 32, 16, 8, 8, 8, 0, 8}, font, *storage)
            .release_value();
    };
    const FramebufferText uhd = console(3840, 2160);
    EXPECT_EQ(uhd.columns(), 480u);
    EXPECT_EQ(uhd.rows(), 135u);
    const FramebufferText five_k = console(5120, 2880);
    EXPECT_EQ(five_k.columns(), 640u);
    EXPECT_EQ(five_k.rows(), 101u);
    const FramebufferText wide = console(kMaxTextCells * 8 + 800, 16);
    EXPECT_EQ(wide.columns(), kMaxTextCells);
    EXPECT_EQ(wide.rows(), 1u);
}

TEST_F(FramebufferTextTest, ColourPairsRunOutGracefully) {
    Screen s(200, 70, 32, kBgrx);  // 20x10 cells: room for more pairs than the console keeps.
    TextGrid& text = s.console(font);
    text.clear();  // Every cell white on black: pair 0.
    auto red = [](uint32_t i) { return Rgb{static_cast<uint8_t>(i * 3 + 1), 0, 0}; };
    for (uint32_t i = 0; i < kMaxColourPairs; ++i) {
        s.set_colour(red(i), {0, 0, 0});
        text.put_char('x');
    }
    // Pairs 1-63 went to the first 63 reds, all still on screen: the 64th takes the nearest, the 63rd.
    EXPECT_TRUE(cell_shows(s, font, bitmap('x'), 0, 0, {0x00, 0x00, 0x01, 0x00}, black));
    EXPECT_TRUE(cell_shows(s, font, bitmap('x'), 62 % 20, 62 / 20, {0x00, 0x00, 187, 0x00}, black));
    EXPECT_TRUE(cell_shows(s, font, bitmap('x'), 63 % 20, 63 / 20, {0x00, 0x00, 187, 0x00}, black));
    // Once the screen is cleared those pairs are free again, and a new colour is exact.
    text.clear();
    s.set_colour({0x00, 0xFF, 0x00}, {0, 0, 0});
    text.put_char('x');
    EXPECT_TRUE(cell_shows(s, font, bitmap('x'), 0, 0, {0x00, 0xFF, 0x00, 0x00}, black));
}
