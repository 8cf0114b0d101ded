// The text grid's logic: cursor, newline, tab, backspace, wrapping and scrolling over the RAM cells; a run of cells
// goes to the screen only when it changes.
#include "console/text_grid.hpp"

#include "lib/panic.hpp"

namespace kernel::console {

using drivers::TextCell;

TextGrid::TextGrid(drivers::TextScreen& screen, TextGridStorage& storage, uint8_t colours)
    : m_screen(&screen),
      m_cells(storage.cells),
      m_columns(screen.columns()),
      m_rows(screen.rows()),
      m_colours(colours) {
    KASSERT(m_columns > 0 && m_rows > 0 && uint64_t(m_columns) * m_rows <= drivers::kMaxTextCells);
    for (uint32_t i = 0; i < m_columns * m_rows; ++i) m_cells[i] = blank();
}

TextCell TextGrid::cell_at(uint32_t row, uint32_t column) const {
    if (!usable() || row >= m_rows || column >= m_columns) return blank();
    return row_cells(row)[column];
}

lib::Span<const TextCell> TextGrid::cells() const {
    return {m_cells, size_t(m_columns) * m_rows};
}

void TextGrid::clear() {
    if (!usable()) return;
    m_screen->clear(blank());
    for (uint32_t i = 0; i < m_columns * m_rows; ++i) m_cells[i] = blank();
    m_synced = true;
    m_row = m_column = 0;
}

void TextGrid::put_char(char c) {
    if (!usable()) return;
    switch (c) {
    case '\n': new_line(); return;
    case '\r': m_column = 0; return;
    case '\b': back_one(); return;
    case '\t': tab(); return;
    default: break;
    }
    if (m_column >= m_columns) new_line();
    const TextCell wanted{m_screen->character_for(static_cast<uint8_t>(c)), m_colours};
    replace_cells(m_row, &wanted, 0, m_column, m_column + 1);
    ++m_column;
}

void TextGrid::write(const char* text, size_t length) {
    for (size_t i = 0; i < length; ++i) put_char(text[i]);
}

// A tab never wraps by itself: at the right edge it parks the cursor and the next character wraps.
void TextGrid::tab() {
    const uint32_t next = (m_column / kTabWidth + 1) * kTabWidth;
    m_column = next < m_columns ? next : m_columns;
}

// Moves the cursor back one cell without erasing it, to the end of the
// previous row from column 0: "\b \b" erases the last character typed.
void TextGrid::back_one() {
    if (m_column > 0) {
        --m_column;
    } else if (m_row > 0) {
        --m_row;
        m_column = m_columns - 1;
    }
}

void TextGrid::new_line() {
    m_column = 0;
    if (m_row + 1 < m_rows)
        ++m_row;
    else
        scroll();
}

// Each row takes the cells of the row below, and only cells whose character or colours differ are drawn: the
// screen is never read back, and unchanged text (blank margins, repeated prefixes) costs no stores.
void TextGrid::scroll() {
    for (uint32_t row = 0; row + 1 < m_rows; ++row) replace_cells(row, row_cells(row + 1), 1, 0, m_columns);
    const TextCell empty = blank();
    replace_cells(m_rows - 1, &empty, 0, 0, m_columns);
}

// Sets cells [first, end) of `row` from `source` (stepping `source_step` cells per column, 0 repeats one cell) and
// draws each run that changed; before the first clear() every cell counts as changed.
void TextGrid::replace_cells(uint32_t row, const TextCell* source, size_t source_step, uint32_t first, uint32_t end) {
    TextCell* cells = row_cells(row);
    auto unchanged = [&](uint32_t column) {
        return m_synced && cells[column] == source[(column - first) * source_step];
    };
    uint32_t column = first;
    while (column < end) {
        while (column < end && unchanged(column)) ++column;
        const uint32_t run = column;
        for (; column < end && !unchanged(column); ++column) cells[column] = source[(column - first) * source_step];
        if (run < column) m_screen->draw(row, run, cells + run, column - run);
    }
}

}  // namespace kernel::console
