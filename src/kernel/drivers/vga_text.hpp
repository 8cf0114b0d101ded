// The VGA text screen: character cells in video memory (80x25 under BIOS) that the console's text grid draws on; it
// only ever stores cells, never reads them back.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "drivers/text_screen.hpp"
#include "drivers/video_memory.hpp"

namespace kernel::drivers {

enum class VgaColour : uint8_t {
    Black = 0,
    Blue = 1,
    Green = 2,
    Cyan = 3,
    Red = 4,
    Magenta = 5,
    Brown = 6,
    LightGrey = 7,
    DarkGrey = 8,
    LightBlue = 9,
    LightGreen = 10,
    LightCyan = 11,
    LightRed = 12,
    Pink = 13,
    Yellow = 14,
    White = 15,
};

// Attribute byte: background colour in the high nibble, foreground in the low. A TextCell's colours on this screen.
constexpr uint8_t vga_attribute(VgaColour foreground, VgaColour background) {
    return static_cast<uint8_t>(static_cast<uint8_t>(background) << 4 | static_cast<uint8_t>(foreground));
}

// One cell exactly as the hardware reads it: code page 437 character, then attribute.
struct VgaCell {
    uint8_t character;
    uint8_t attribute;
};
static_assert(sizeof(VgaCell) == 2, "a VGA text cell is two bytes");

// The largest grid shown, the biggest VESA text mode (132x60); a grid with more cells shows text in the top rows
// that fit.
inline constexpr uint32_t kMaxVgaTextCells = 132 * 60;

class VgaText final : public TextScreen {
public:
    // Shown for bytes the code page 437 font would draw misleadingly (controls, UTF-8).
    static constexpr uint8_t kReplacementCharacter = 0xFE;
    static constexpr uint8_t kDefaultColours = vga_attribute(VgaColour::LightGrey, VgaColour::Black);

    constexpr VgaText() = default;
    // Describes the screen; `stride` is the distance between rows in cells (pitch / 2), >= columns. Draws nothing.
    VgaText(VgaCell* screen, uint32_t columns, uint32_t rows, uint32_t stride);

    [[nodiscard]] bool usable() const { return m_screen.size() != 0; }
    [[nodiscard]] uint32_t columns() const override { return m_columns; }
    [[nodiscard]] uint32_t rows() const override { return m_rows; }
    [[nodiscard]] uint8_t character_for(uint8_t byte) const override;
    // One store per cell: a 16-bit store is what VGA text memory is made for.
    void draw(uint32_t row, uint32_t first, const TextCell* cells, uint32_t count) override;
    void clear(TextCell blank) override;

private:
    VideoMemory m_screen{};
    uint32_t m_columns = 0;
    uint32_t m_rows = 0;
    uint32_t m_stride = 0;
};

}  // namespace kernel::drivers
