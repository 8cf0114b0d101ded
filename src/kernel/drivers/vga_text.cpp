// Puts the console's cells into VGA text memory, one hardware cell at a time.
#include "drivers/vga_text.hpp"

namespace kernel::drivers {

VgaText::VgaText(VgaCell* screen, uint32_t columns, uint32_t rows, uint32_t stride) {
    if (screen == nullptr || columns == 0 || rows == 0 || stride < columns) return;
    m_columns = columns < kMaxVgaTextCells ? columns : kMaxVgaTextCells;
    m_rows = rows < kMaxVgaTextCells / m_columns ? rows : kMaxVgaTextCells / m_columns;
    m_stride = stride;
    m_screen = VideoMemory(screen, size_t(stride) * rows * sizeof(VgaCell));
}

uint8_t VgaText::character_for(uint8_t byte) const {
    const bool printable = byte >= 0x20 && byte < 0x7F;
    return printable ? byte : kReplacementCharacter;
}

void VgaText::draw(uint32_t row, uint32_t first, const TextCell* cells, uint32_t count) {
    if (row >= m_rows || first > m_columns || count > m_columns - first) return;
    for (uint32_t i = 0; i < count; ++i) {
        const VgaCell cell{cells[i].character, cells[i].colours};
        m_screen.store((size_t(row) * m_stride + first + i) * sizeof(VgaCell), &cell, sizeof cell);
    }
}

void VgaText::clear(TextCell blank) {
    for (uint32_t row = 0; row < m_rows; ++row)
        for (uint32_t column = 0; column < m_columns; ++column) draw(row, column, &blank, 1);
}

}  // namespace kernel::drivers
