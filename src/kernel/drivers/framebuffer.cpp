// Draws glyphs, moves the cursor and scrolls on a caller-supplied linear framebuffer; no hardware access.
#include "drivers/framebuffer.hpp"

namespace kernel::drivers {
namespace {

constexpr uint32_t kTabWidth = 8;
constexpr uint32_t kMaxFieldSize = 16;
constexpr Rgb kDefaultForeground{0xFF, 0xFF, 0xFF};
constexpr Rgb kDefaultBackground{0x00, 0x00, 0x00};

// Pixel stores through these are one machine store even at -O0, legal at any alignment and on byte buffers.
struct __attribute__((packed, may_alias)) UnalignedU32 {
    uint32_t value;
};
struct __attribute__((packed, may_alias)) UnalignedU16 {
    uint16_t value;
};

[[nodiscard]] bool field_fits(uint8_t position, uint8_t size, uint32_t bits_per_pixel) {
    return size != 0 && size <= kMaxFieldSize && static_cast<uint32_t>(position) + size <= bits_per_pixel;
}

// Narrow fields keep the top bits; wide ones (10-bit panels) repeat the top bits so 0xFF stays full intensity.
[[nodiscard]] uint32_t pack_component(uint8_t value, uint8_t position, uint8_t size) {
    uint32_t scaled = 0;
    if (size <= 8) {
        scaled = static_cast<uint32_t>(value) >> (8 - size);
    } else {
        scaled = (static_cast<uint32_t>(value) << (size - 8)) | (static_cast<uint32_t>(value) >> (16 - size));
    }
    return scaled << position;
}

[[nodiscard]] uint32_t pack_colour(const FramebufferSpec& spec, Rgb colour) {
    return pack_component(colour.r, spec.red_position, spec.red_size) |
           pack_component(colour.g, spec.green_position, spec.green_size) |
           pack_component(colour.b, spec.blue_position, spec.blue_size);
}

}  // namespace

const char* to_string(FramebufferError error) {
    switch (error) {
    case FramebufferError::None: return "no error";
    case FramebufferError::NotInitialised: return "framebuffer console not initialised";
    case FramebufferError::BadFont: return "font has no glyphs";
    case FramebufferError::NullBase: return "framebuffer address is null";
    case FramebufferError::ZeroSize: return "framebuffer has a zero dimension";
    case FramebufferError::BadBpp: return "framebuffer depth is not 16, 24 or 32 bits";
    case FramebufferError::PitchTooSmall: return "framebuffer pitch is smaller than a pixel row";
    case FramebufferError::BadColourField: return "framebuffer colour field out of range";
    case FramebufferError::TooSmallForGlyph: return "framebuffer smaller than one glyph";
    }
    return "unknown framebuffer error";
}

FramebufferError validate_framebuffer(const FramebufferSpec& spec, const Font& font) {
    if (font.glyphs == nullptr || font.width == 0 || font.height == 0 || font.glyph_count == 0) {
        return FramebufferError::BadFont;
    }
    if (spec.base == nullptr) {
        return FramebufferError::NullBase;
    }
    if (spec.width == 0 || spec.height == 0 || spec.pitch == 0) {
        return FramebufferError::ZeroSize;
    }
    if (spec.bpp != 16 && spec.bpp != 24 && spec.bpp != 32) {
        return FramebufferError::BadBpp;
    }
    if (spec.pitch < static_cast<uint64_t>(spec.width) * (spec.bpp / 8)) {
        return FramebufferError::PitchTooSmall;
    }
    if (!field_fits(spec.red_position, spec.red_size, spec.bpp) ||
        !field_fits(spec.green_position, spec.green_size, spec.bpp) ||
        !field_fits(spec.blue_position, spec.blue_size, spec.bpp)) {
        return FramebufferError::BadColourField;
    }
    if (spec.width < font.width || spec.height < font.height) {
        return FramebufferError::TooSmallForGlyph;
    }
    return FramebufferError::None;
}

FramebufferText::FramebufferText(const FramebufferSpec& spec, const Font& font)
    : m_spec(spec), m_font(font), m_error(validate_framebuffer(spec, font)) {
    if (!usable()) {
        return;
    }
    m_bytes_per_pixel = spec.bpp / 8;
    m_columns = spec.width / font.width;
    m_rows = spec.height / font.height;
    set_colour(kDefaultForeground, kDefaultBackground);
}

void FramebufferText::set_colour(Rgb foreground, Rgb background) {
    if (!usable()) {
        return;
    }
    m_foreground = pack_colour(m_spec, foreground);
    m_background = pack_colour(m_spec, background);
}

void FramebufferText::clear() {
    if (!usable()) {
        return;
    }
    fill_rect(0, 0, m_spec.width, m_spec.height, m_background);
    m_column = 0;
    m_row = 0;
}

void FramebufferText::put_char(char c) {
    if (!usable()) {
        return;
    }
    switch (c) {
    case '\n': new_line(); return;
    case '\r': m_column = 0; return;
    case '\t': tab(); return;
    default: break;
    }
    if (m_column >= m_columns) {
        new_line();
    }
    draw_glyph(m_column, m_row, static_cast<uint8_t>(c));
    ++m_column;
}

void FramebufferText::write(const char* text, size_t length) {
    for (size_t i = 0; i < length; ++i) {
        put_char(text[i]);
    }
}

// A tab never wraps by itself: at the right edge it parks the cursor and the next glyph wraps.
void FramebufferText::tab() {
    const uint32_t next = (m_column / kTabWidth + 1) * kTabWidth;
    m_column = next < m_columns ? next : m_columns;
}

void FramebufferText::new_line() {
    m_column = 0;
    if (m_row + 1 < m_rows) {
        ++m_row;
    } else {
        scroll();
    }
}

// One memmove over whole pitch rows is the cheapest copy; padding bytes only ever move onto padding.
void FramebufferText::scroll() {
    const size_t text_line_bytes = static_cast<size_t>(m_spec.pitch) * m_font.height;
    __builtin_memmove(m_spec.base, m_spec.base + text_line_bytes, text_line_bytes * (m_rows - 1));
    fill_rect(0, (m_rows - 1) * m_font.height, m_spec.width, m_font.height, m_background);
}

void FramebufferText::draw_glyph(uint32_t column, uint32_t row, uint8_t character) {
    const uint8_t* bitmap = m_font.glyph(character);
    const size_t x0 = static_cast<size_t>(column) * m_font.width;
    const size_t y0 = static_cast<size_t>(row) * m_font.height;
    for (uint32_t y = 0; y < m_font.height; ++y) {
        uint8_t* line = m_spec.base + (y0 + y) * m_spec.pitch + x0 * m_bytes_per_pixel;
        const uint8_t* bits = bitmap + static_cast<size_t>(y) * m_font.bytes_per_row;
        for (uint32_t x = 0; x < m_font.width; ++x) {
            const bool on = (bits[x / 8] & (0x80u >> (x % 8))) != 0;
            store_pixel(line + static_cast<size_t>(x) * m_bytes_per_pixel, on ? m_foreground : m_background);
        }
    }
}

void FramebufferText::fill_rect(uint32_t x, uint32_t y, uint32_t width, uint32_t height, uint32_t packed) {
    for (uint32_t row = y; row < y + height; ++row) {
        uint8_t* line =
            m_spec.base + static_cast<size_t>(row) * m_spec.pitch + static_cast<size_t>(x) * m_bytes_per_pixel;
        for (uint32_t i = 0; i < width; ++i) {
            store_pixel(line + static_cast<size_t>(i) * m_bytes_per_pixel, packed);
        }
    }
}

void FramebufferText::store_pixel(uint8_t* where, uint32_t packed) const {
    if (m_bytes_per_pixel == 4) {
        reinterpret_cast<UnalignedU32*>(where)->value = packed;
    } else if (m_bytes_per_pixel == 3) {
        where[0] = static_cast<uint8_t>(packed);
        where[1] = static_cast<uint8_t>(packed >> 8);
        where[2] = static_cast<uint8_t>(packed >> 16);
    } else {
        reinterpret_cast<UnalignedU16*>(where)->value = static_cast<uint16_t>(packed);
    }
}

}  // namespace kernel::drivers
