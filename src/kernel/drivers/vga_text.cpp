// VGA text writer logic: cursor, newline, wrapping and scrolling over a cell grid.
#include "drivers/vga_text.hpp"

#include "lib/mmio.hpp"

namespace kernel::drivers {

VgaText::VgaText(VgaCell* cells, uint32_t columns, uint32_t rows, uint32_t stride)
    : m_cells(cells), m_columns(columns), m_rows(rows), m_stride(stride) {
    if (cells == nullptr || columns == 0 || rows == 0 || stride < columns) {
        m_cells = nullptr;
        m_columns = m_rows = m_stride = 0;
    }
}

void VgaText::set_colour(VgaColour foreground, VgaColour background) {
    m_attribute = vga_attribute(foreground, background);
}

void VgaText::put_cell(uint32_t row, uint32_t column, VgaCell cell) {
    if (row >= m_rows || column >= m_columns) return;
    lib::mmio_write(&m_cells[size_t(row) * m_stride + column], cell);
}

VgaCell VgaText::cell_at(uint32_t row, uint32_t column) const {
    if (row >= m_rows || column >= m_columns) return {' ', m_attribute};
    return lib::mmio_read(&m_cells[size_t(row) * m_stride + column]);
}

void VgaText::clear() {
    for (uint32_t row = 0; row < m_rows; ++row)
        for (uint32_t column = 0; column < m_columns; ++column) put_cell(row, column, {' ', m_attribute});
    m_row = m_column = 0;
}

void VgaText::scroll_up() {
    for (uint32_t row = 1; row < m_rows; ++row)
        for (uint32_t column = 0; column < m_columns; ++column) put_cell(row - 1, column, cell_at(row, column));
    for (uint32_t column = 0; column < m_columns; ++column) put_cell(m_rows - 1, column, {' ', m_attribute});
}

void VgaText::new_line() {
    m_column = 0;
    if (m_row + 1 < m_rows) {
        ++m_row;
    } else {
        scroll_up();
    }
}

void VgaText::put_char(char c) {
    if (!usable()) return;
    const auto byte = static_cast<uint8_t>(c);
    switch (byte) {
    case '\n': new_line(); return;
    case '\r': m_column = 0; return;
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
