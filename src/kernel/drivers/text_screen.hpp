// What a screen that shows text offers the console's text grid: its size in character cells and a way to put cells on
// it (the VGA text and framebuffer drivers implement it; cursors, wrapping and scrolling are the console's).
#pragma once

#include <stdint.h>

namespace kernel::drivers {

// A character and its colours, as the console keeps them in RAM. What `colours` means is the screen's own: a VGA
// attribute byte, or an index into the framebuffer's colour pairs. Zero by default, so the console's ~130 KiB of cells
// lie in .bss, not in the image: the grid makes every cell blank (' ' in its colours) before it draws.
struct TextCell {
    uint8_t character = 0;
    uint8_t colours = 0;

    friend constexpr bool operator==(TextCell, TextCell) = default;
};
static_assert(sizeof(TextCell) == 2, "two bytes a cell keep 480x135 cells in ~130 KiB");

// The most cells the console keeps: 480x135, a 3840x2160 screen in an 8x16 font. A screen with more cells shows
// text in as many top rows as fit.
inline constexpr uint32_t kMaxTextCells = 480 * 135;

class TextScreen {
public:
    // At most kMaxTextCells in all.
    [[nodiscard]] virtual uint32_t columns() const = 0;
    [[nodiscard]] virtual uint32_t rows() const = 0;
    // The character a cell holds to show `byte` (Latin-1); a screen whose font lacks it returns a stand-in.
    [[nodiscard]] virtual uint8_t character_for(uint8_t byte) const { return byte; }
    // Puts `count` cells on row `row` from column `first`. The console calls it only for cells that changed, and
    // never reads the screen back: video memory is slow to read on real hardware.
    virtual void draw(uint32_t row, uint32_t first, const TextCell* cells, uint32_t count) = 0;
    // Shows `blank` in every cell, and its background around them.
    virtual void clear(TextCell blank) = 0;

protected:
    // Never deleted through this interface, so no virtual destructor (and no operator delete) is needed.
    ~TextScreen() = default;
};

}  // namespace kernel::drivers
