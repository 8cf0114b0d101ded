// The console's text, written once for every kind of screen: a grid of cells kept in RAM, a cursor, and what each
// byte written does to them (wrapping, tabs, backspace, scrolling), drawn through a drivers::TextScreen.
//
// Pure (no hardware, host-tested). It sits in console/ rather than lib/ because what '\n' or '\t' does is the
// console's business: the drivers below only put the cells they are given on a screen and never see the grid.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "drivers/text_screen.hpp"
#include "lib/span.hpp"

namespace kernel::console {

// RAM for the text (~130 KiB): the kernel has no heap, so it keeps one in .bss; tests make their own.
struct TextGridStorage {
    drivers::TextCell cells[drivers::kMaxTextCells];
};

class TextGrid {
public:
    static constexpr uint32_t kTabWidth = 8;

    // No screen: every call is a no-op. Lets the kernel keep a constinit global.
    constexpr TextGrid() = default;
    // Text on `screen`, kept in `storage`, which must outlive the grid and every copy of it; cells start blank in
    // `colours`. What the screen shows is unknown until clear() (the loader's text, firmware pixels: the grid never
    // reads the screen), so until then every cell written is drawn even where RAM already holds it.
    TextGrid(drivers::TextScreen& screen, TextGridStorage& storage, uint8_t colours);

    [[nodiscard]] bool usable() const { return m_screen != nullptr; }
    [[nodiscard]] uint32_t columns() const { return m_columns; }
    [[nodiscard]] uint32_t rows() const { return m_rows; }
    // The column may equal columns(): the wrap waits for the next character, so a full line then '\n' is one line.
    [[nodiscard]] uint32_t cursor_row() const { return m_row; }
    [[nodiscard]] uint32_t cursor_column() const { return m_column; }
    // A cell as the screen shows it, from RAM; out-of-range positions read as a blank cell.
    [[nodiscard]] drivers::TextCell cell_at(uint32_t row, uint32_t column) const;
    // Every cell, row after row: which colours are on screen.
    [[nodiscard]] lib::Span<const drivers::TextCell> cells() const;

    // Colours (the screen's own value) for the characters written from now on, and for blanks.
    [[nodiscard]] uint8_t colours() const { return m_colours; }
    void set_colours(uint8_t colours) { m_colours = colours; }

    void clear();
    // Bytes are Latin-1; '\n' also returns the carriage, '\r' returns it, '\b' moves back one cell without erasing
    // it, '\t' moves to the next multiple of 8 without wrapping.
    void put_char(char c);
    void write(const char* text, size_t length);

private:
    [[nodiscard]] drivers::TextCell* row_cells(uint32_t row) const { return m_cells + size_t(row) * m_columns; }
    [[nodiscard]] drivers::TextCell blank() const { return {' ', m_colours}; }
    void replace_cells(uint32_t row, const drivers::TextCell* source, size_t source_step, uint32_t first, uint32_t end);
    void tab();
    void back_one();
    void new_line();
    void scroll();

    drivers::TextScreen* m_screen = nullptr;
    drivers::TextCell* m_cells = nullptr;
    uint32_t m_columns = 0;
    uint32_t m_rows = 0;
    uint32_t m_row = 0;
    uint32_t m_column = 0;
    uint8_t m_colours = 0;
    bool m_synced = false;
};

}  // namespace kernel::console
