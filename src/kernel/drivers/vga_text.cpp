// VGA text writer logic: cursor, newline, wrapping and scrolling over a RAM copy of the cells; a cell goes to the
// screen only when it changes.
#include "drivers/vga_text.hpp"

namespace kernel::drivers {

VgaText::VgaText(VgaCell* screen, uint32_t columns, uint32_t rows, uint32_t stride) {
    if (screen == nullptr || columns == 0 || rows == 0 || stride < columns) return;
    m_columns = columns < kMaxVgaTextCells ? columns : kMaxVgaTextCells;
    m_rows = rows < kMaxVgaTextCells / m_columns ? rows : kMaxVgaTextCells / m_columns;
    m_stride = stride;
    m_screen = VideoMemory(screen, size_t(stride) * rows * sizeof(VgaCell));
}

void VgaText::keep_cells_in(VgaTextStorage& storage) {
    if (m_screen.size() == 0) return;
    m_cells = storage.cells;
    for (uint32_t i = 0; i < m_columns * m_rows; ++i) m_cells[i] = {' ', m_attribute};
    m_synced = false;
}

void VgaText::set_colour(VgaColour foreground, VgaColour background) {
    m_attribute = vga_attribute(foreground, background);
}

void VgaText::put_cell(uint32_t row, uint32_t column, VgaCell cell) {
    if (row >= m_rows || column >= m_columns) return;
    VgaCell& kept = m_cells[size_t(row) * m_columns + column];
    if (m_synced && kept.character == cell.character && kept.attribute == cell.attribute) return;
    kept = cell;
    m_screen.store((size_t(row) * m_stride + column) * sizeof(VgaCell), &cell, sizeof cell);
}

VgaCell VgaText::cell_at(uint32_t row, uint32_t column) const {
    if (!usable() || row >= m_rows || column >= m_columns) return {' ', m_attribute};
    return m_cells[size_t(row) * m_columns + column];
}

void VgaText::clear() {
    if (!usable()) return;
    for (uint32_t row = 0; row < m_rows; ++row)
        for (uint32_t column = 0; column < m_columns; ++column) put_cell(row, column, {' ', m_attribute});
    m_synced = true;
    m_row = m_column = 0;
}

// Redrawn from RAM: each row takes the row below's cells and only the cells that differ are stored.
void VgaText::scroll_up() {
    for (uint32_t row = 1; row < m_rows; ++row)
        for (uint32_t column = 0; column < m_columns; ++column) put_cell(row - 1, column, cell_at(row, column));
    for (uint32_t column = 0; column < m_columns; ++column) put_cell(m_rows - 1, column, {' ', m_attribute});
}

void VgaText::new_line() {
    m_column = 0;
    if (m_row + 1 < m_rows)
        ++m_row;
    else
        scroll_up();
}

// Moves the cursor back one cell without erasing it, to the end of the
// previous row from column 0: "\b \b" erases the last character typed.
void VgaText::back_one() {
    if (m_column > 0) {
        --m_column;
    } else if (m_row > 0) {
        --m_row;
        m_column = m_columns - 1;
    }
}

void VgaText::put_char(char c) {
    if (!usable()) return;
    const auto byte = static_cast<uint8_t>(c);
    switch (byte) {
    case '\n': new_line(); return;
    case '\r': m_column = 0; return;
    case '\b': back_one(); return;
    case '\t':
        do put_char(' ');
        while (m_column % 8 != 0);
        return;
    default: break;
    }
    if (m_column >= m_columns) new_line();
    const bool printable = byte >= 0x20 && byte < 0x7F;
    put_cell(m_row, m_column, {printable ? byte : kReplacementCharacter, m_attribute});
    ++m_column;
}

void VgaText::write(const char* text, size_t length) {
    for (size_t i = 0; i < length; ++i) put_char(text[i]);
}

}  // namespace kernel::drivers
