// Parser for PC Screen Font (PSF1 and PSF2) bitmap fonts, used to draw text on a linear framebuffer.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/error.hpp"

namespace kernel::drivers {

// Limits far above any real console font; anything larger is a corrupt header, not a font.
inline constexpr uint32_t kMaxGlyphWidth = 64;
inline constexpr uint32_t kMaxGlyphHeight = 128;
inline constexpr uint32_t kMaxGlyphCount = 0xFFFF;

// The console speaks Latin-1, so only the first 256 codepoints get a lookup table.
inline constexpr uint32_t kLatin1Count = 256;

// A parsed font: a view into the caller's bytes plus a Latin-1 lookup table, cheap to copy.
struct Font {
    uint32_t width = 0;
    uint32_t height = 0;
    uint32_t bytes_per_row = 0;
    uint32_t bytes_per_glyph = 0;
    uint32_t glyph_count = 0;
    const uint8_t* glyphs = nullptr;
    // Glyph index for each Latin-1 codepoint; fonts order their glyphs by code page, not by Unicode.
    uint16_t latin1_glyph[kLatin1Count] = {};
    // Glyph drawn for codepoints the font lacks: '?' when the font has one, else glyph 0.
    uint16_t replacement_glyph = 0;

    // Bitmap of `codepoint`: `height` rows of `bytes_per_row` bytes, most significant bit leftmost.
    // Inline: the framebuffer console looks a glyph up once per cell per pixel row.
    [[nodiscard]] const uint8_t* glyph(uint32_t codepoint) const {
        if (glyphs == nullptr) return nullptr;
        const uint32_t index = codepoint < kLatin1Count ? latin1_glyph[codepoint] : replacement_glyph;
        return glyphs + static_cast<size_t>(index) * bytes_per_glyph;
    }
};

// Parses a whole (already decompressed) PSF file; the returned font points into `data`.
[[nodiscard]] ErrorOr<Font> parse_psf(const uint8_t* data, size_t size);

}  // namespace kernel::drivers
