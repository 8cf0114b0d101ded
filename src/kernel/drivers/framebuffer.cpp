// Keeps the console's text in RAM cells and draws changed cells onto a linear framebuffer, which it never reads.
#include "drivers/framebuffer.hpp"

#include "drivers/framebuffer_pixels.hpp"

namespace kernel::drivers {
namespace {

constexpr uint32_t kTabWidth = 8;
constexpr uint32_t kMaxFieldSize = 16;
constexpr Rgb kDefaultForeground{0xFF, 0xFF, 0xFF};
constexpr Rgb kDefaultBackground{0x00, 0x00, 0x00};

[[nodiscard]] bool field_fits(uint8_t position, uint8_t size, uint32_t bits_per_pixel) {
    return size != 0 && size <= kMaxFieldSize && static_cast<uint32_t>(position) + size <= bits_per_pixel;
}

// 15 bpp pixels take two bytes like 16 bpp ones; the top bit is unused.
[[nodiscard]] uint32_t bytes_per_pixel(uint8_t bpp) {
    return (bpp + 7u) / 8u;
}

[[nodiscard]] uint32_t distance(Rgb a, Rgb b) {
    auto apart = [](uint8_t x, uint8_t y) { return static_cast<uint32_t>(x > y ? x - y : y - x); };
    return apart(a.r, b.r) + apart(a.g, b.g) + apart(a.b, b.b);
}

[[nodiscard]] bool same(TextCell a, TextCell b) {
    return a.character == b.character && a.colours == b.colours;
}

}  // namespace

const char* to_string(FramebufferError error) {
    switch (error) {
    case FramebufferError::None: return "no error";
    case FramebufferError::NotInitialised: return "framebuffer console not initialised";
    case FramebufferError::BadFont: return "font has no glyphs";
    case FramebufferError::NullBase: return "framebuffer address is null";
    case FramebufferError::ZeroSize: return "framebuffer has a zero dimension";
    case FramebufferError::BadBpp: return "framebuffer depth is not 15, 16, 24 or 32 bits";
    case FramebufferError::PitchTooSmall: return "framebuffer pitch is smaller than a pixel row";
    case FramebufferError::BadColourField: return "framebuffer colour field out of range";
    case FramebufferError::TooSmallForGlyph: return "framebuffer smaller than one glyph";
    }
    return "unknown framebuffer error";
}

FramebufferError validate_framebuffer(const FramebufferSpec& spec, const Font& font) {
    if (font.glyphs == nullptr || font.width == 0 || font.height == 0 || font.glyph_count == 0)
        return FramebufferError::BadFont;
    if (spec.base == nullptr) return FramebufferError::NullBase;
    if (spec.width == 0 || spec.height == 0 || spec.pitch == 0) return FramebufferError::ZeroSize;
    if (spec.bpp != 15 && spec.bpp != 16 && spec.bpp != 24 && spec.bpp != 32) return FramebufferError::BadBpp;
    if (spec.pitch < static_cast<uint64_t>(spec.width) * bytes_per_pixel(spec.bpp))
        return FramebufferError::PitchTooSmall;
    if (!field_fits(spec.red_position, spec.red_size, spec.bpp) ||
        !field_fits(spec.green_position, spec.green_size, spec.bpp) ||
        !field_fits(spec.blue_position, spec.blue_size, spec.bpp))
        return FramebufferError::BadColourField;
    if (spec.width < font.width || spec.height < font.height) return FramebufferError::TooSmallForGlyph;
    return FramebufferError::None;
}

FramebufferText::FramebufferText(const FramebufferSpec& spec, const Font& font, FramebufferTextStorage& storage)
    : m_spec(spec), m_font(font), m_storage(&storage), m_error(validate_framebuffer(spec, font)) {
    if (!usable()) return;
    m_screen = VideoMemory(spec.base, static_cast<size_t>(spec.pitch) * spec.height);
    m_bytes_per_pixel = bytes_per_pixel(spec.bpp);
    m_columns = spec.width / font.width;
    if (m_columns > kMaxTextCells)
        m_columns = kMaxTextCells;
    else
        m_right_margin = spec.width - m_columns * font.width;
    m_rows = spec.height / font.height;
    if (m_rows > kMaxTextCells / m_columns) m_rows = kMaxTextCells / m_columns;
    for (uint32_t i = 0; i < m_columns * m_rows; ++i) storage.cells[i] = {0, kUnknownColours};
    set_colour(kDefaultForeground, kDefaultBackground);
}

uint8_t FramebufferText::character_at(uint32_t row, uint32_t column) const {
    if (!usable() || row >= m_rows || column >= m_columns) return 0;
    return row_cells(row)[column].character;
}

TextCell* FramebufferText::row_cells(uint32_t row) const {
    return m_storage->cells + static_cast<size_t>(row) * m_columns;
}

void FramebufferText::set_colour(Rgb foreground, Rgb background) {
    if (!usable()) return;
    m_colours = colour_pair(foreground, background);
}

uint8_t FramebufferText::colour_pair(Rgb foreground, Rgb background) {
    const ColourPair wanted{foreground, background, pack_colour(m_spec, foreground), pack_colour(m_spec, background)};
    ColourPair* pairs = m_storage->pairs;
    for (uint32_t i = 0; i < m_pair_count; ++i)
        if (pairs[i].packed_foreground == wanted.packed_foreground &&
            pairs[i].packed_background == wanted.packed_background)
            return static_cast<uint8_t>(i);
    uint8_t index = m_pair_count < kMaxColourPairs ? static_cast<uint8_t>(m_pair_count++) : free_colour_pair();
    if (index != kUnknownColours) {
        pairs[index] = wanted;
        return index;
    }
    // Every pair is on screen: a cell never changes colour behind its back, so take the closest one.
    uint32_t best_distance = ~0u;
    for (uint32_t i = 0; i < m_pair_count; ++i) {
        const uint32_t d = distance(pairs[i].foreground, foreground) + distance(pairs[i].background, background);
        if (d < best_distance) {
            best_distance = d;
            index = static_cast<uint8_t>(i);
        }
    }
    return index;
}

// A pair no cell shows and the cursor does not hold, or kUnknownColours; scans the grid, so only when pairs run out.
uint8_t FramebufferText::free_colour_pair() const {
    bool used[kMaxColourPairs] = {};
    used[m_colours] = true;
    for (uint32_t i = 0; i < m_columns * m_rows; ++i) {
        const uint8_t colours = m_storage->cells[i].colours;
        if (colours != kUnknownColours) used[colours] = true;
    }
    for (uint32_t i = 0; i < kMaxColourPairs; ++i)
        if (!used[i]) return static_cast<uint8_t>(i);
    return kUnknownColours;
}

void FramebufferText::clear() {
    if (!usable()) return;
    const uint32_t background = m_storage->pairs[m_colours].packed_background;
    const uint32_t piece_pixels = static_cast<uint32_t>(kLineBufferBytes / m_bytes_per_pixel);
    for (uint32_t x = 0; x < m_spec.width; x += piece_pixels) {
        const uint32_t pixels = m_spec.width - x < piece_pixels ? m_spec.width - x : piece_pixels;
        put_pixels(m_storage->line, m_bytes_per_pixel, background, pixels);
        for (uint32_t y = 0; y < m_spec.height; ++y) {
            m_screen.store(static_cast<size_t>(y) * m_spec.pitch + static_cast<size_t>(x) * m_bytes_per_pixel,
                           m_storage->line, static_cast<size_t>(pixels) * m_bytes_per_pixel);
        }
    }
    for (uint32_t i = 0; i < m_columns * m_rows; ++i) m_storage->cells[i] = blank();
    m_column = 0;
    m_row = 0;
}

// Moves the cursor back one cell without erasing it, to the end of the
// previous row from column 0: "\b \b" erases the last character typed.
void FramebufferText::back_one() {
    if (m_column > 0) {
        --m_column;
    } else if (m_row > 0) {
        --m_row;
        m_column = m_columns - 1;
    }
}

void FramebufferText::put_char(char c) {
    if (!usable()) return;
    switch (c) {
    case '\n': new_line(); return;
    case '\r': m_column = 0; return;
    case '\b': back_one(); return;
    case '\t': tab(); return;
    default: break;
    }
    if (m_column >= m_columns) new_line();
    const TextCell wanted{static_cast<uint8_t>(c), m_colours};
    replace_cells(m_row, &wanted, 0, m_column, m_column + 1);
    ++m_column;
}

void FramebufferText::write(const char* text, size_t length) {
    for (size_t i = 0; i < length; ++i) put_char(text[i]);
}

// A tab never wraps by itself: at the right edge it parks the cursor and the next glyph wraps.
void FramebufferText::tab() {
    const uint32_t next = (m_column / kTabWidth + 1) * kTabWidth;
    m_column = next < m_columns ? next : m_columns;
}

void FramebufferText::new_line() {
    m_column = 0;
    if (m_row + 1 < m_rows)
        ++m_row;
    else
        scroll();
}

// Each row takes the cells of the row below, and only cells whose character or colours differ are redrawn: the
// framebuffer is never read back, and unchanged text (blank margins, repeated prefixes) costs no stores.
void FramebufferText::scroll() {
    for (uint32_t row = 0; row + 1 < m_rows; ++row) replace_cells(row, row_cells(row + 1), 1, 0, m_columns);
    const TextCell empty = blank();
    replace_cells(m_rows - 1, &empty, 0, 0, m_columns);
}

// Sets cells [first, end) of `row` from `source` (stepping `source_step` cells per column, 0 repeats one cell) and
// draws each run that changed. A cell never drawn moves up as a blank, so scrolling leaves no firmware debris.
void FramebufferText::replace_cells(uint32_t row, const TextCell* source, size_t source_step, uint32_t first,
                                    uint32_t end) {
    TextCell* cells = row_cells(row);
    const TextCell empty = blank();
    auto wanted = [&](uint32_t column) {
        const TextCell cell = source[(column - first) * source_step];
        return cell.colours == kUnknownColours ? empty : cell;
    };
    uint32_t column = first;
    while (column < end) {
        while (column < end && same(cells[column], wanted(column))) ++column;
        const uint32_t run = column;
        for (; column < end && !same(cells[column], wanted(column)); ++column) cells[column] = wanted(column);
        if (run < column) draw_cells(row, run, column);
    }
}

// Cells go to the screen a pixel row at a time, through the line buffer, in pieces the buffer holds.
void FramebufferText::draw_cells(uint32_t row, uint32_t first, uint32_t end) const {
    const size_t cell_bytes = static_cast<size_t>(m_font.width) * m_bytes_per_pixel;
    const size_t margin_bytes = static_cast<size_t>(m_right_margin) * m_bytes_per_pixel;
    const auto piece = static_cast<uint32_t>((kLineBufferBytes - margin_bytes) / cell_bytes);
    for (uint32_t column = first; column < end; column += piece)
        draw_piece(row, column, end - column < piece ? end : column + piece);
}

void FramebufferText::draw_piece(uint32_t row, uint32_t first, uint32_t end) const {
    const TextCell* cells = row_cells(row) + first;
    const uint32_t count = end - first;
    const uint32_t margin = end == m_columns ? m_right_margin : 0;
    uint8_t* line = m_storage->line;
    const size_t x_offset = static_cast<size_t>(first) * m_font.width * m_bytes_per_pixel;
    const ColourPair* pairs = m_storage->pairs;
    for (uint32_t y = 0; y < m_font.height; ++y) {
        uint8_t* line_end = nullptr;
        switch (m_bytes_per_pixel) {
        case 4: line_end = assemble_row<4>(line, cells, count, margin, y, m_font, pairs); break;
        case 3: line_end = assemble_row<3>(line, cells, count, margin, y, m_font, pairs); break;
        default: line_end = assemble_row<2>(line, cells, count, margin, y, m_font, pairs); break;
        }
        const size_t pixel_row = static_cast<size_t>(row) * m_font.height + y;
        m_screen.store(pixel_row * m_spec.pitch + x_offset, line, static_cast<size_t>(line_end - line));
    }
}

}  // namespace kernel::drivers
