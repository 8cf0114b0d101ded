// The VGA text console: a typed grid of character cells (80x25 under BIOS), kept in RAM and only ever written to the
// screen, never read back.
#pragma once

#include <stddef.h>
#include <stdint.h>

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

// Attribute byte: background colour in the high nibble, foreground in the low.
constexpr uint8_t vga_attribute(VgaColour foreground, VgaColour background) {
    return static_cast<uint8_t>(static_cast<uint8_t>(background) << 4 | static_cast<uint8_t>(foreground));
}

// One cell exactly as the hardware reads it: code page 437 character, then attribute.
struct VgaCell {
    uint8_t character;
    uint8_t attribute;
};
static_assert(sizeof(VgaCell) == 2, "a VGA text cell is two bytes");

// The largest grid kept, the biggest VESA text mode (132x60); a grid with more cells keeps the top rows that fit.
inline constexpr uint32_t kMaxVgaTextCells = 132 * 60;

// RAM for the text (~16 KiB): the kernel has no heap, so it keeps one in .bss; tests make their own.
struct VgaTextStorage {
    VgaCell cells[kMaxVgaTextCells];
};

class VgaText {
public:
    // Shown for bytes the code page 437 font would draw misleadingly (controls, UTF-8).
    static constexpr uint8_t kReplacementCharacter = 0xFE;

    constexpr VgaText() = default;
    // Describes the screen; `stride` is the distance between rows in cells (pitch / 2), >= columns. Nothing is
    // drawn until keep_cells_in() gives the console RAM for its text.
    VgaText(VgaCell* screen, uint32_t columns, uint32_t rows, uint32_t stride);
    // `storage` must outlive the console and every copy of it. What the loader left on screen is unknown (and never
    // read), so until clear() every cell written is stored even when the RAM copy already holds it.
    void keep_cells_in(VgaTextStorage& storage);

    bool usable() const { return m_cells != nullptr; }
    uint32_t columns() const { return m_columns; }
    uint32_t rows() const { return m_rows; }
    uint32_t cursor_row() const { return m_row; }
    uint32_t cursor_column() const { return m_column; }

    void set_colour(VgaColour foreground, VgaColour background);
    void clear();
    void put_char(char c);
    void write(const char* text, size_t length);

    // A cell as the screen shows it, from the RAM copy; out-of-range positions read as a blank cell.
    VgaCell cell_at(uint32_t row, uint32_t column) const;

private:
    void back_one();
    void new_line();
    void scroll_up();
    void put_cell(uint32_t row, uint32_t column, VgaCell cell);

    VideoMemory m_screen{};
    VgaCell* m_cells = nullptr;
    uint32_t m_columns = 0;
    uint32_t m_rows = 0;
    uint32_t m_stride = 0;
    uint32_t m_row = 0;
    uint32_t m_column = 0;
    bool m_synced = false;
    uint8_t m_attribute = vga_attribute(VgaColour::LightGrey, VgaColour::Black);
};

}  // namespace kernel::drivers
