// Parses PSF1/PSF2 headers and Unicode tables into a Font without trusting a single size in the file.
#include "drivers/psf.hpp"

namespace kernel::drivers {
namespace {

// PSF1: 2-byte magic, mode byte, glyph byte count; glyphs are always 8 pixels wide.
constexpr uint8_t kPsf1Magic[] = {0x36, 0x04};
constexpr size_t kPsf1HeaderSize = 4;
constexpr uint8_t kPsf1Mode512 = 0x01;
constexpr uint8_t kPsf1ModeHasTable = 0x02;
constexpr uint8_t kPsf1ModeHasSequences = 0x04;
constexpr uint32_t kPsf1Width = 8;
constexpr uint16_t kPsf1Separator = 0xFFFF;
constexpr uint16_t kPsf1StartSequence = 0xFFFE;

// PSF2: 32-byte little-endian header of eight u32 fields; the table is UTF-8.
constexpr uint8_t kPsf2Magic[] = {0x72, 0xB5, 0x4A, 0x86};
constexpr size_t kPsf2HeaderSize = 32;
constexpr uint32_t kPsf2Version = 0;
constexpr uint32_t kPsf2FlagHasTable = 0x01;
constexpr uint8_t kPsf2Separator = 0xFF;
constexpr uint8_t kPsf2StartSequence = 0xFE;

// Marks table entries not yet assigned; safe because glyph counts stay below it.
constexpr uint16_t kUnmapped = 0xFFFF;
static_assert(kMaxGlyphCount <= kUnmapped);

enum class TableKind : uint8_t { None, Psf1, Psf2 };

[[nodiscard]] uint16_t read_u16(const uint8_t* p) {
    return static_cast<uint16_t>(p[0] | (p[1] << 8));
}

[[nodiscard]] uint32_t read_u32(const uint8_t* p) {
    return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) | (static_cast<uint32_t>(p[2]) << 16) |
           (static_cast<uint32_t>(p[3]) << 24);
}

[[nodiscard]] bool has_prefix(const uint8_t* data, size_t size, const uint8_t* magic, size_t magic_size) {
    if (size < magic_size) return false;
    for (size_t i = 0; i < magic_size; ++i)
        if (data[i] != magic[i]) return false;
    return true;
}

// The first glyph listed for a codepoint wins, so a later duplicate cannot displace the font's primary choice.
void map_codepoint(Font& font, uint32_t codepoint, uint32_t glyph) {
    if (codepoint < kLatin1Count && font.latin1_glyph[codepoint] == kUnmapped)
        font.latin1_glyph[codepoint] = static_cast<uint16_t>(glyph);
}

// Entries after a start-sequence marker are multi-codepoint combinations a byte console never emits.
void map_psf1_table(Font& font, const uint8_t* p, const uint8_t* end) {
    uint32_t glyph = 0;
    bool in_sequence = false;
    while (glyph < font.glyph_count && end - p >= 2) {
        const uint16_t value = read_u16(p);
        p += 2;
        if (value == kPsf1Separator) {
            ++glyph;
            in_sequence = false;
        } else if (value == kPsf1StartSequence) {
            in_sequence = true;
        } else if (!in_sequence) {
            map_codepoint(font, value, glyph);
        }
    }
}

// Only one- and two-byte UTF-8 can encode Latin-1; longer forms are skipped byte by byte, which is
// safe because 0xFE and 0xFF never occur inside UTF-8.
void map_psf2_table(Font& font, const uint8_t* p, const uint8_t* end) {
    uint32_t glyph = 0;
    bool in_sequence = false;
    while (glyph < font.glyph_count && p < end) {
        const uint8_t byte = *p++;
        if (byte == kPsf2Separator) {
            ++glyph;
            in_sequence = false;
        } else if (byte == kPsf2StartSequence) {
            in_sequence = true;
        } else if (in_sequence) {
            continue;
        } else if (byte < 0x80) {
            map_codepoint(font, byte, glyph);
        } else if ((byte & 0xE0) == 0xC0 && p < end && (*p & 0xC0) == 0x80) {
            const uint32_t codepoint = (static_cast<uint32_t>(byte & 0x1F) << 6) | (*p++ & 0x3F);
            if (codepoint >= 0x80) map_codepoint(font, codepoint, glyph);
        }
    }
}

// Without a table the font is in code-page order, which for the first 256 glyphs is taken as Latin-1.
void build_latin1_map(Font& font, TableKind table, const uint8_t* table_start, const uint8_t* end) {
    for (uint32_t codepoint = 0; codepoint < kLatin1Count; ++codepoint) font.latin1_glyph[codepoint] = kUnmapped;
    if (table == TableKind::Psf1)
        map_psf1_table(font, table_start, end);
    else if (table == TableKind::Psf2)
        map_psf2_table(font, table_start, end);
    else
        for (uint32_t codepoint = 0; codepoint < kLatin1Count && codepoint < font.glyph_count; ++codepoint)
            font.latin1_glyph[codepoint] = static_cast<uint16_t>(codepoint);
    const uint16_t question = font.latin1_glyph[static_cast<uint8_t>('?')];
    font.replacement_glyph = question == kUnmapped ? 0 : question;
    for (uint32_t codepoint = 0; codepoint < kLatin1Count; ++codepoint)
        if (font.latin1_glyph[codepoint] == kUnmapped) font.latin1_glyph[codepoint] = font.replacement_glyph;
}

// Shared tail of both formats: sizes are checked in 64-bit arithmetic so no header value can wrap them.
[[nodiscard]] ErrorOr<Font> finish(Font font, const uint8_t* data, size_t size, size_t glyph_offset, TableKind table) {
    if (font.width == 0 || font.height == 0 || font.glyph_count == 0) return Error::PsfZeroSize;
    if (font.width > kMaxGlyphWidth || font.height > kMaxGlyphHeight || font.glyph_count > kMaxGlyphCount)
        return Error::PsfAbsurdSize;
    font.bytes_per_row = (font.width + 7) / 8;
    if (font.bytes_per_glyph < font.bytes_per_row * font.height) return Error::PsfBadHeader;
    const uint64_t glyph_bytes = static_cast<uint64_t>(font.glyph_count) * font.bytes_per_glyph;
    if (glyph_offset > size || glyph_bytes > size - glyph_offset) return Error::PsfGlyphsPastEnd;
    font.glyphs = data + glyph_offset;
    build_latin1_map(font, table, font.glyphs + glyph_bytes, data + size);
    return font;
}

[[nodiscard]] ErrorOr<Font> parse_psf1(const uint8_t* data, size_t size) {
    if (size < kPsf1HeaderSize) return Error::PsfTruncatedHeader;
    const uint8_t mode = data[2];
    Font font;
    font.width = kPsf1Width;
    font.height = data[3];
    font.bytes_per_glyph = data[3];
    font.glyph_count = (mode & kPsf1Mode512) != 0 ? 512 : 256;
    const bool has_table = (mode & (kPsf1ModeHasTable | kPsf1ModeHasSequences)) != 0;
    return finish(font, data, size, kPsf1HeaderSize, has_table ? TableKind::Psf1 : TableKind::None);
}

[[nodiscard]] ErrorOr<Font> parse_psf2(const uint8_t* data, size_t size) {
    if (size < kPsf2HeaderSize) return Error::PsfTruncatedHeader;
    const uint32_t version = read_u32(data + 4);
    const uint32_t header_size = read_u32(data + 8);
    if (version != kPsf2Version || header_size < kPsf2HeaderSize) return Error::PsfBadHeader;
    if (header_size > size) return Error::PsfTruncatedHeader;
    Font font;
    font.glyph_count = read_u32(data + 16);
    font.bytes_per_glyph = read_u32(data + 20);
    font.height = read_u32(data + 24);
    font.width = read_u32(data + 28);
    const bool has_table = (read_u32(data + 12) & kPsf2FlagHasTable) != 0;
    return finish(font, data, size, header_size, has_table ? TableKind::Psf2 : TableKind::None);
}

}  // namespace

ErrorOr<Font> parse_psf(const uint8_t* data, size_t size) {
    if (data == nullptr || size < sizeof(kPsf1Magic)) return Error::PsfTruncatedHeader;
    if (has_prefix(data, size, kPsf1Magic, sizeof(kPsf1Magic))) return parse_psf1(data, size);
    if (has_prefix(data, size, kPsf2Magic, sizeof(kPsf2Magic))) return parse_psf2(data, size);
    return Error::PsfBadMagic;
}

}  // namespace kernel::drivers
