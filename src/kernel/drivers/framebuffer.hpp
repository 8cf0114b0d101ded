// A text console drawn with a bitmap font onto a linear framebuffer, for UEFI where there is no VGA text mode.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "drivers/psf.hpp"

namespace kernel::drivers {

// Describes memory the caller owns; pixels live at base + y * pitch + x * (bpp / 8), little-endian.
struct FramebufferSpec {
    uint8_t* base = nullptr;
    uint32_t pitch = 0;   // Bytes per pixel row, at least width * bytes per pixel.
    uint32_t width = 0;   // Pixels.
    uint32_t height = 0;  // Pixels.
    uint8_t bpp = 0;      // 16, 24 or 32.
    uint8_t red_position = 0;
    uint8_t red_size = 0;
    uint8_t green_position = 0;
    uint8_t green_size = 0;
    uint8_t blue_position = 0;
    uint8_t blue_size = 0;
};

struct Rgb {
    uint8_t r = 0;
    uint8_t g = 0;
    uint8_t b = 0;
};

enum class FramebufferError : uint8_t {
    None,
    NotInitialised,
    BadFont,
    NullBase,
    ZeroSize,
    BadBpp,
    PitchTooSmall,
    BadColourField,
    TooSmallForGlyph,
};
// Keep equal to the last enumerator so tests can walk every error.
inline constexpr FramebufferError kLastFramebufferError = FramebufferError::TooSmallForGlyph;

// Short English name for an error, for panic and log messages.
[[nodiscard]] const char* to_string(FramebufferError error);

// Checks everything FramebufferText relies on to keep every store inside base[0 .. pitch * height).
[[nodiscard]] FramebufferError validate_framebuffer(const FramebufferSpec& spec, const Font& font);

class FramebufferText {
public:
    // Unusable until assigned a constructed one; lets the kernel keep a constinit global.
    constexpr FramebufferText() = default;

    // Does not touch the screen: call clear() to wipe what the firmware or loader left there.
    // An invalid spec leaves the object unusable (see error()) and every drawing call a no-op.
    FramebufferText(const FramebufferSpec& spec, const Font& font);

    [[nodiscard]] constexpr FramebufferError error() const { return m_error; }
    [[nodiscard]] constexpr bool usable() const { return m_error == FramebufferError::None; }
    [[nodiscard]] uint32_t columns() const { return m_columns; }
    [[nodiscard]] uint32_t rows() const { return m_rows; }
    [[nodiscard]] uint32_t cursor_column() const { return m_column; }
    [[nodiscard]] uint32_t cursor_row() const { return m_row; }

    void set_colour(Rgb foreground, Rgb background);
    void clear();
    // Bytes are Latin-1; '\n' also returns the carriage, '\t' moves to the next multiple of 8.
    void put_char(char c);
    void write(const char* text, size_t length);

private:
    void draw_glyph(uint32_t column, uint32_t row, uint8_t character);
    void fill_rect(uint32_t x, uint32_t y, uint32_t width, uint32_t height, uint32_t packed);
    void store_pixel(uint8_t* where, uint32_t packed) const;
    void tab();
    void new_line();
    void scroll();

    FramebufferSpec m_spec{};
    Font m_font{};
    FramebufferError m_error = FramebufferError::NotInitialised;
    uint32_t m_bytes_per_pixel = 0;
    uint32_t m_columns = 0;
    uint32_t m_rows = 0;
    // m_column may equal m_columns: the wrap is deferred so a full line followed by '\n' is one line, not two.
    uint32_t m_column = 0;
    uint32_t m_row = 0;
    uint32_t m_foreground = 0;
    uint32_t m_background = 0;
};

}  // namespace kernel::drivers
