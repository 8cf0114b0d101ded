// A text console drawn with a bitmap font onto a linear framebuffer (UEFI and VBE give no VGA text mode). The text
// lives in RAM cells; the framebuffer is only ever written, and only where a cell changed.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "boot/boot_record.hpp"
#include "drivers/psf.hpp"
#include "drivers/video_memory.hpp"

namespace kernel::drivers {

// Describes memory the caller owns; pixels live at base + y * pitch + x * ceil(bpp / 8), little-endian.
struct FramebufferSpec {
    uint8_t* base = nullptr;
    uint32_t pitch = 0;   // Bytes per pixel row, at least width * bytes per pixel.
    uint32_t width = 0;   // Pixels.
    uint32_t height = 0;  // Pixels.
    uint8_t bpp = 0;      // 15 (5:5:5 in two bytes), 16, 24 or 32.
    uint8_t red_position = 0;
    uint8_t red_size = 0;
    uint8_t green_position = 0;
    uint8_t green_size = 0;
    uint8_t blue_position = 0;
    uint8_t blue_size = 0;
};

// The spec for the loader's framebuffer, drawn at `pixels` (where the kernel
// mapped it; the record's address is physical and may lie anywhere in 64 bits).
inline FramebufferSpec framebuffer_spec(const boot::Framebuffer& fb, uint8_t* pixels) {
    return {pixels,      fb.pitch,          fb.width,      fb.height,        fb.bpp,      fb.red_position,
            fb.red_size, fb.green_position, fb.green_size, fb.blue_position, fb.blue_size};
}

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

// The most text cells the console keeps: 480x135, a 3840x2160 screen in an 8x16 font. A screen with more cells
// shows text in as many top rows as fit (5120x2880 in 8x16: 640 columns, 101 of its 180 rows).
inline constexpr uint32_t kMaxTextCells = 480 * 135;
// Distinct foreground/background pairs on screen at once; beyond that a new pair takes the nearest existing one.
inline constexpr uint32_t kMaxColourPairs = 64;
// One pixel row of up to 3840 pixels at 32 bpp is assembled here before it is stored; wider rows go in pieces.
inline constexpr size_t kLineBufferBytes = 16 * 1024;

// A character and an index into the colour pairs; kUnknownColours marks a cell whose pixels the console never drew.
struct TextCell {
    uint8_t character = 0;
    uint8_t colours = 0;
};
inline constexpr uint8_t kUnknownColours = 0xFF;
static_assert(kMaxColourPairs < kUnknownColours, "a pair index never looks unknown");

struct ColourPair {
    Rgb foreground;
    Rgb background;
    uint32_t packed_foreground = 0;
    uint32_t packed_background = 0;
};

// The RAM a console draws from, ~150 KiB: the kernel has no heap, so it keeps one in .bss; tests make their own.
struct FramebufferTextStorage {
    TextCell cells[kMaxTextCells];
    ColourPair pairs[kMaxColourPairs];
    uint8_t line[kLineBufferBytes];
};

class FramebufferText {
public:
    // Unusable until assigned a constructed one; lets the kernel keep a constinit global.
    constexpr FramebufferText() = default;

    // Does not touch the screen: call clear() to wipe what the firmware or loader left there. `storage` must outlive
    // the console and every copy of it. An invalid spec leaves the object unusable (see error()) and every drawing
    // call a no-op.
    FramebufferText(const FramebufferSpec& spec, const Font& font, FramebufferTextStorage& storage);

    [[nodiscard]] constexpr FramebufferError error() const { return m_error; }
    [[nodiscard]] constexpr bool usable() const { return m_error == FramebufferError::None; }
    [[nodiscard]] uint32_t columns() const { return m_columns; }
    [[nodiscard]] uint32_t rows() const { return m_rows; }
    [[nodiscard]] uint32_t cursor_column() const { return m_column; }
    [[nodiscard]] uint32_t cursor_row() const { return m_row; }
    // The character shown in a cell; 0 for cells never drawn or out of range.
    [[nodiscard]] uint8_t character_at(uint32_t row, uint32_t column) const;

    void set_colour(Rgb foreground, Rgb background);
    void clear();
    // Bytes are Latin-1; '\n' also returns the carriage, '\t' moves to the next multiple of 8.
    void put_char(char c);
    void write(const char* text, size_t length);

private:
    [[nodiscard]] TextCell* row_cells(uint32_t row) const;
    [[nodiscard]] TextCell blank() const { return {' ', m_colours}; }
    [[nodiscard]] uint8_t colour_pair(Rgb foreground, Rgb background);
    [[nodiscard]] uint8_t free_colour_pair() const;
    void replace_cells(uint32_t row, const TextCell* source, size_t source_step, uint32_t first, uint32_t end);
    void draw_cells(uint32_t row, uint32_t first, uint32_t end) const;
    void draw_piece(uint32_t row, uint32_t first, uint32_t end) const;
    void tab();
    void back_one();
    void new_line();
    void scroll();

    FramebufferSpec m_spec{};
    Font m_font{};
    VideoMemory m_screen{};
    FramebufferTextStorage* m_storage = nullptr;
    FramebufferError m_error = FramebufferError::NotInitialised;
    uint32_t m_bytes_per_pixel = 0;
    uint32_t m_columns = 0;
    uint32_t m_rows = 0;
    // Pixels right of the last column, painted with the last cell's background so scrolled rows leave no debris.
    uint32_t m_right_margin = 0;
    uint32_t m_pair_count = 0;
    // m_column may equal m_columns: the wrap is deferred so a full line followed by '\n' is one line, not two.
    uint32_t m_column = 0;
    uint32_t m_row = 0;
    uint8_t m_colours = 0;
};

}  // namespace kernel::drivers
