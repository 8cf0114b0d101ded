// Pixels for the framebuffer text screen: colours packed into a framebuffer's format, glyph rows expanded into pixel
// rows in RAM. Pure arithmetic on RAM buffers; only framebuffer.cpp uses it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "drivers/framebuffer.hpp"

namespace kernel::drivers {

// Narrow fields keep the top bits; wide ones (10-bit panels) repeat the top bits so 0xFF stays full intensity.
[[nodiscard]] inline uint32_t pack_component(uint8_t value, uint8_t position, uint8_t size) {
    uint32_t scaled = 0;
    if (size <= 8)
        scaled = static_cast<uint32_t>(value) >> (8 - size);
    else
        scaled = (static_cast<uint32_t>(value) << (size - 8)) | (static_cast<uint32_t>(value) >> (16 - size));
    return scaled << position;
}

[[nodiscard]] inline uint32_t pack_colour(const FramebufferSpec& spec, Rgb colour) {
    return pack_component(colour.r, spec.red_position, spec.red_size) |
           pack_component(colour.g, spec.green_position, spec.green_size) |
           pack_component(colour.b, spec.blue_position, spec.blue_size);
}

// Pixels are little-endian (x86): the low kBytes bytes of the packed value are the pixel.
template <uint32_t kBytes>
inline uint8_t* put_pixels(uint8_t* out, uint32_t packed, uint32_t count) {
    for (uint32_t i = 0; i < count; ++i, out += kBytes) __builtin_memcpy(out, &packed, kBytes);
    return out;
}

// Turns glyph bits into pixels a 64-bit word at a time: two pixels per word at 32 bpp, four at 15/16 bpp, looked
// up by their glyph bits in a table made once per colour pair. 24 bpp pixels straddle words: those go one by one.
template <uint32_t kBytes>
class GlyphPainter {
public:
    void use(const ColourPair& pair, uint8_t index) {
        if (index == m_pair) return;
        m_pair = index;
        m_foreground = pair.packed_foreground;
        m_background = pair.packed_background;
        for (uint32_t bits = 0; bits < kPatterns; ++bits) {
            uint64_t word = 0;
            for (uint32_t i = 0; i < kPerWord; ++i) {
                const bool on = (bits & (1u << (kPerWord - 1 - i))) != 0;  // The leftmost pixel is the top bit.
                word |= static_cast<uint64_t>(on ? m_foreground : m_background) << (i * kBytes * 8);
            }
            m_words[bits] = word;
        }
    }

    // One pixel row of a glyph, `width` pixels wide, most significant bit leftmost.
    uint8_t* paint(uint8_t* out, const uint8_t* bits, uint32_t width) const {
        if constexpr (kWordSized) {
            if (width == 8) {  // Nearly every console font: one byte per pixel row, unrolled.
                for (uint32_t shift = 8; shift > 0; shift -= kPerWord, out += sizeof(uint64_t)) {
                    __builtin_memcpy(out, &m_words[(bits[0] >> (shift - kPerWord)) & (kPatterns - 1)],
                                     sizeof(uint64_t));
                }
                return out;
            }
        }
        uint32_t x = 0;
        if constexpr (kWordSized) {
            for (; x + kPerWord <= width; x += kPerWord, out += sizeof(uint64_t)) {
                const uint32_t index = (bits[x / 8] >> (8 - kPerWord - x % 8)) & (kPatterns - 1);
                __builtin_memcpy(out, &m_words[index], sizeof(uint64_t));
            }
        }
        for (; x < width; ++x) {
            const bool on = (bits[x / 8] & (0x80u >> (x % 8))) != 0;
            out = put_pixels<kBytes>(out, on ? m_foreground : m_background, 1);
        }
        return out;
    }

    uint8_t* paint_blank(uint8_t* out, uint32_t width) const {
        uint32_t x = 0;
        if constexpr (kWordSized)
            for (; x + kPerWord <= width; x += kPerWord, out += sizeof(uint64_t))
                __builtin_memcpy(out, &m_words[0], sizeof(uint64_t));
        return put_pixels<kBytes>(out, m_background, width - x);
    }

private:
    static constexpr bool kWordSized = sizeof(uint64_t) % kBytes == 0;
    static constexpr uint32_t kPerWord = kWordSized ? sizeof(uint64_t) / kBytes : 1;
    static constexpr uint32_t kPatterns = 1u << kPerWord;

    uint64_t m_words[kPatterns] = {};
    uint32_t m_foreground = 0;
    uint32_t m_background = 0;
    uint8_t m_pair = kNoColourPair;
};

// Pixel row `y` of `count` cells, plus `margin` background pixels after the last, into `out`; returns the end.
template <uint32_t kBytes>
inline uint8_t* assemble_row(uint8_t* out, const TextCell* cells, uint32_t count, uint32_t margin, uint32_t y,
                             const Font& font, const ColourPair* pairs) {
    GlyphPainter<kBytes> painter;
    for (uint32_t i = 0; i < count; ++i) {
        painter.use(pairs[cells[i].colours], cells[i].colours);
        if (cells[i].character == ' ') {  // Blank whatever the font draws: cleared and scrolled-in cells are spaces.
            out = painter.paint_blank(out, font.width);
        } else {
            out = painter.paint(out, font.glyph(cells[i].character) + static_cast<size_t>(y) * font.bytes_per_row,
                                font.width);
        }
    }
    return put_pixels<kBytes>(out, pairs[cells[count - 1].colours].packed_background, margin);
}

// The same for a depth known only at run time (15/16, 24 or 32 bpp as 2, 3 or 4 bytes per pixel).
inline uint8_t* put_pixels(uint8_t* out, uint32_t bytes_per_pixel, uint32_t packed, uint32_t count) {
    switch (bytes_per_pixel) {
    case 4: return put_pixels<4>(out, packed, count);
    case 3: return put_pixels<3>(out, packed, count);
    default: return put_pixels<2>(out, packed, count);
    }
}

}  // namespace kernel::drivers
