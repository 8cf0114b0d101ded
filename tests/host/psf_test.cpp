// Host tests for the PSF parser: crafted PSF1 and PSF2 fonts, with and without Unicode tables, malformed headers,
// and the Debian font the kernel embeds.
#include "drivers/psf.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <vector>

#include "psf_fonts.hpp"

using namespace kernel::drivers;
using kernel::Error;
using kernel::ErrorOr;

TEST(Psf, ParsesPsf1WithoutTable) {
    const Bytes bytes = make_psf1(0x00, 6);
    const ErrorOr<Font> result = parse(bytes);
    ASSERT_FALSE(result.is_error());
    EXPECT_EQ(result->width, 8u);
    EXPECT_EQ(result->height, 6u);
    EXPECT_EQ(result->bytes_per_row, 1u);
    EXPECT_EQ(result->glyph_count, 256u);
    EXPECT_EQ(result->glyph('A'), bytes.data() + 4 + 'A' * 6);
    EXPECT_EQ(result->glyph(0x2500), result->glyph('?'));
}

TEST(Psf, Psf1TableMapsCodepointsAndSkipsSequences) {
    std::vector<uint16_t> table;
    for (uint32_t g = 0; g < 512; ++g) {
        if (g == 7) table.insert(table.end(), {'A', 0x00E9, 0xFFFE, 'B', 0x0301});
        if (g == 300) table.push_back('?');
        table.push_back(0xFFFF);
    }
    const Bytes bytes = make_psf1(0x03, 4, table);
    const ErrorOr<Font> result = parse(bytes);
    ASSERT_FALSE(result.is_error());
    EXPECT_EQ(result->glyph_count, 512u);
    EXPECT_EQ(result->glyph('A'), result->glyphs + 7 * 4);
    EXPECT_EQ(result->glyph(0xE9), result->glyphs + 7 * 4);
    EXPECT_EQ(result->glyph('B'), result->glyphs + 300 * 4);  // Only in a sequence: unmapped.
    EXPECT_EQ(result->glyph(0x1234), result->glyphs + 300 * 4);
}

TEST(Psf, ParsesPsf2WithWideGlyphsAndLongHeader) {
    Psf2Header header;
    header.header_size = 40;
    const Bytes bytes = make_psf2(header);
    const ErrorOr<Font> result = parse(bytes);
    ASSERT_FALSE(result.is_error());
    EXPECT_EQ(result->width, 10u);
    EXPECT_EQ(result->height, 7u);
    EXPECT_EQ(result->bytes_per_row, 2u);
    EXPECT_EQ(result->glyph('A'), bytes.data() + 40 + 'A' * 14);
    EXPECT_EQ(result->glyph(200), result->glyph('?'));  // Beyond glyph_count.
}

TEST(Psf, Psf2Utf8TableMapsLatin1) {
    Bytes table;
    for (uint32_t g = 0; g < 16; ++g) {
        if (g == 5) table.insert(table.end(), {0xC3, 0xA9, 'e', 0xE2, 0x82, 0xAC});  // é, e, €
        if (g == 9) table.insert(table.end(), {'?', 0xFE, 'x', 0xCC, 0x81});
        table.push_back(0xFF);
    }
    Psf2Header header;
    header.flags = 1;
    header.count = 16;
    const ErrorOr<Font> result = parse(make_psf2(header, table));
    ASSERT_FALSE(result.is_error());
    EXPECT_EQ(result->glyph(0xE9), result->glyphs + 5 * 14);
    EXPECT_EQ(result->glyph('e'), result->glyphs + 5 * 14);
    EXPECT_EQ(result->glyph('x'), result->glyphs + 9 * 14);
    EXPECT_EQ(result->glyph(0x20AC), result->glyphs + 9 * 14);
    EXPECT_EQ(result->glyph(0xAC), result->glyphs + 9 * 14);  // A continuation byte of the euro sign.
}

TEST(Psf, RejectsMalformedFonts) {
    auto psf2_with = [](auto edit) {
        Psf2Header header;
        edit(header);
        return parse(make_psf2(header)).error();
    };
    EXPECT_EQ(parse(Bytes{}).error(), Error::PsfTruncatedHeader);
    EXPECT_EQ(parse(Bytes{0x36}).error(), Error::PsfTruncatedHeader);
    EXPECT_EQ(parse(Bytes{0x36, 0x04, 0x00}).error(), Error::PsfTruncatedHeader);
    EXPECT_EQ(parse(Bytes{0x72, 0xB5, 0x4A, 0x86, 0, 0}).error(), Error::PsfTruncatedHeader);
    EXPECT_EQ(parse(Bytes{'P', 'K', 3, 4, 0, 0, 0, 0}).error(), Error::PsfBadMagic);
    EXPECT_EQ(parse_psf(nullptr, 100).error(), Error::PsfTruncatedHeader);
    Bytes short_psf1 = make_psf1(0x00, 16);
    short_psf1.pop_back();
    EXPECT_EQ(parse(short_psf1).error(), Error::PsfGlyphsPastEnd);
    EXPECT_EQ(parse(make_psf1(0x00, 0)).error(), Error::PsfZeroSize);
    Bytes header_only = make_psf2(Psf2Header{});
    header_only.resize(32);
    EXPECT_EQ(parse(header_only).error(), Error::PsfGlyphsPastEnd);
    EXPECT_EQ(psf2_with([](Psf2Header& h) { h.header_size = 16; }), Error::PsfBadHeader);
    EXPECT_EQ(psf2_with([](Psf2Header& h) { h.version = 1; }), Error::PsfBadHeader);
    EXPECT_EQ(psf2_with([](Psf2Header& h) { h.charsize = 13; }), Error::PsfBadHeader);
    EXPECT_EQ(psf2_with([](Psf2Header& h) { h.width = 0; }), Error::PsfZeroSize);
    EXPECT_EQ(psf2_with([](Psf2Header& h) { h.count = 0; }), Error::PsfZeroSize);
    EXPECT_EQ(psf2_with([](Psf2Header& h) { h.width = 65; }), Error::PsfAbsurdSize);
    EXPECT_EQ(psf2_with([](Psf2Header& h) { h.height = 129; }), Error::PsfAbsurdSize);
    Bytes long_header = make_psf2(Psf2Header{});
    long_header[9] = 0x10;  // header_size 0x1020, beyond the file.
    EXPECT_EQ(parse(long_header).error(), Error::PsfTruncatedHeader);
    Bytes huge_count = make_psf2(Psf2Header{});
    huge_count[17] = 0xFF;  // Glyph count becomes 0x01FF80, past kMaxGlyphCount.
    huge_count[18] = 0x01;
    EXPECT_EQ(parse(huge_count).error(), Error::PsfAbsurdSize);
    Bytes huge_glyphs = make_psf2(Psf2Header{});
    huge_glyphs[23] = 0x80;  // charsize 0x8000000E: count * charsize overflows 32 bits.
    EXPECT_EQ(parse(huge_glyphs).error(), Error::PsfGlyphsPastEnd);
}

TEST(Psf, LoadsDebianLat15Vga16) {
    std::ifstream file(MINK_FONT_PSF, std::ios::binary);
    ASSERT_TRUE(file) << "cannot open " << MINK_FONT_PSF;
    const Bytes bytes{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
    const ErrorOr<Font> result = parse(bytes);
    ASSERT_FALSE(result.is_error()) << to_string(result.error());
    EXPECT_EQ(bytes[0], 0x36);  // PSF1.
    EXPECT_EQ(result->width, 8u);
    EXPECT_EQ(result->height, 16u);
    EXPECT_EQ(result->glyph_count, 256u);
    for (uint32_t c = 0x20; c < 0x7F; ++c) EXPECT_EQ(result->glyph(c), bytes.data() + 4 + c * 16) << c;
    EXPECT_EQ(result->glyph(0xE9), bytes.data() + 4 + 0x82 * 16);  // é sits at its code page 437 slot.
    EXPECT_EQ(result->glyph(0x2603), result->glyph('?'));
}

TEST(ErrorNames, FontErrorsHaveWords) {
    for (const Error error : {Error::PsfBadMagic, Error::PsfTruncatedHeader, Error::PsfBadHeader, Error::PsfZeroSize,
                              Error::PsfAbsurdSize, Error::PsfGlyphsPastEnd})
        EXPECT_STRNE(to_string(error), "unknown error");
}
