// A text screen drawn with a bitmap font onto a linear framebuffer (UEFI and VBE give no VGA text mode), on which the
// console's text grid draws its cells; the framebuffer is only ever written, never read.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "boot/boot_record.hpp"
#include "drivers/psf.hpp"
#include "drivers/text_screen.hpp"
#include "drivers/video_memory.hpp"
#include "lib/error.hpp"
#include "lib/span.hpp"

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

// Checks everything FramebufferText relies on to keep every store inside base[0 .. pitch * height).
[[nodiscard]] ErrorOr<void> validate_framebuffer(const FramebufferSpec& spec, const Font& font);

// Distinct foreground/background pairs on screen at once; beyond that a new pair takes the nearest existing one.
inline constexpr uint32_t kMaxColourPairs = 64;
// Never a pair's index: "no pair" where one is looked for or remembered.
inline constexpr uint8_t kNoColourPair = 0xFF;
static_assert(kMaxColourPairs < kNoColourPair, "a pair index never looks like no pair");
// One pixel row of up to 3840 pixels at 32 bpp is assembled here before it is stored; wider rows go in pieces.
inline constexpr size_t kLineBufferBytes = 16 * 1024;

// A TextCell's colours on this screen index one of these.
struct ColourPair {
    Rgb foreground;
    Rgb background;
    uint32_t packed_foreground = 0;
    uint32_t packed_background = 0;
};

// The RAM the screen draws with, ~17 KiB: the kernel has no heap, so it keeps one in .bss; tests make their own.
struct FramebufferTextStorage {
    ColourPair pairs[kMaxColourPairs];
    uint8_t line[kLineBufferBytes];
};

class FramebufferText final : public TextScreen {
public:
    // The colours of a TextCell drawn white on black, the first pair.
    static constexpr uint8_t kDefaultColours = 0;

    // Unusable; lets the kernel keep a constinit global.
    constexpr FramebufferText() = default;
    // Does not touch the screen: the grid's first clear() wipes what the firmware or loader left there. `storage`
    // must outlive the screen and every copy of it.
    [[nodiscard]] static ErrorOr<FramebufferText> create(const FramebufferSpec& spec, const Font& font,
                                                         FramebufferTextStorage& storage);

    [[nodiscard]] bool usable() const { return m_storage != nullptr; }
    [[nodiscard]] uint32_t columns() const override { return m_columns; }
    [[nodiscard]] uint32_t rows() const override { return m_rows; }
    // The colours of a TextCell drawn in `foreground` on `background`. Pairs no cell in `shown` (the grid's cells)
    // uses may be given a new colour; when every pair is on screen, the nearest existing pair stands in.
    [[nodiscard]] uint8_t colours(Rgb foreground, Rgb background, lib::Span<const TextCell> shown);
    void draw(uint32_t row, uint32_t first, const TextCell* cells, uint32_t count) override;
    void clear(TextCell blank) override;

private:
    FramebufferText(const FramebufferSpec& spec, const Font& font, FramebufferTextStorage& storage);
    [[nodiscard]] uint8_t free_colour_pair(lib::Span<const TextCell> shown) const;
    void draw_piece(uint32_t row, uint32_t first, const TextCell* cells, uint32_t count) const;

    FramebufferSpec m_spec{};
    Font m_font{};
    VideoMemory m_screen{};
    FramebufferTextStorage* m_storage = nullptr;
    uint32_t m_bytes_per_pixel = 0;
    uint32_t m_columns = 0;
    uint32_t m_rows = 0;
    // Pixels right of the last column, painted with the last cell's background so scrolled rows leave no debris.
    uint32_t m_right_margin = 0;
    uint32_t m_pair_count = 0;
};

}  // namespace kernel::drivers
