// Draws the console's cells onto a linear framebuffer with a bitmap font, a pixel row at a time from RAM; it never
// reads the framebuffer.
#include "drivers/framebuffer.hpp"

#include "drivers/framebuffer_pixels.hpp"
#include "lib/panic.hpp"

namespace kernel::drivers {
namespace {

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

}  // namespace

ErrorOr<void> validate_framebuffer(const FramebufferSpec& spec, const Font& font) {
    if (font.glyphs == nullptr || font.width == 0 || font.height == 0 || font.glyph_count == 0)
        return Error::FramebufferBadFont;
    if (spec.base == nullptr) return Error::FramebufferNullBase;
    if (spec.width == 0 || spec.height == 0 || spec.pitch == 0) return Error::FramebufferZeroSize;
    if (spec.bpp != 15 && spec.bpp != 16 && spec.bpp != 24 && spec.bpp != 32) return Error::FramebufferBadBpp;
    if (spec.pitch < static_cast<uint64_t>(spec.width) * bytes_per_pixel(spec.bpp))
        return Error::FramebufferPitchTooSmall;
    if (!field_fits(spec.red_position, spec.red_size, spec.bpp) ||
        !field_fits(spec.green_position, spec.green_size, spec.bpp) ||
        !field_fits(spec.blue_position, spec.blue_size, spec.bpp))
        return Error::FramebufferBadColourField;
    if (spec.width < font.width || spec.height < font.height) return Error::FramebufferTooSmallForGlyph;
    return {};
}

ErrorOr<FramebufferText> FramebufferText::create(const FramebufferSpec& spec, const Font& font,
                                                 FramebufferTextStorage& storage) {
    TRY(validate_framebuffer(spec, font));
    return FramebufferText(spec, font, storage);
}

FramebufferText::FramebufferText(const FramebufferSpec& spec, const Font& font, FramebufferTextStorage& storage)
    : m_spec(spec),
      m_font(font),
      m_screen(spec.base, static_cast<size_t>(spec.pitch) * spec.height),
      m_storage(&storage),
      m_bytes_per_pixel(bytes_per_pixel(spec.bpp)) {
    m_columns = spec.width / font.width;
    if (m_columns > kMaxTextCells)
        m_columns = kMaxTextCells;
    else
        m_right_margin = spec.width - m_columns * font.width;
    m_rows = spec.height / font.height;
    if (m_rows > kMaxTextCells / m_columns) m_rows = kMaxTextCells / m_columns;
    const uint8_t first = colours(kDefaultForeground, kDefaultBackground, {});
    KASSERT(first == kDefaultColours);
}

uint8_t FramebufferText::colours(Rgb foreground, Rgb background, lib::Span<const TextCell> shown) {
    const ColourPair wanted{foreground, background, pack_colour(m_spec, foreground), pack_colour(m_spec, background)};
    ColourPair* pairs = m_storage->pairs;
    for (uint32_t i = 0; i < m_pair_count; ++i)
        if (pairs[i].packed_foreground == wanted.packed_foreground &&
            pairs[i].packed_background == wanted.packed_background)
            return static_cast<uint8_t>(i);
    uint8_t index = m_pair_count < kMaxColourPairs ? static_cast<uint8_t>(m_pair_count++) : free_colour_pair(shown);
    if (index != kNoColourPair) {
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

// A pair no cell shows, or kNoColourPair; scans the grid, so only when pairs run out.
uint8_t FramebufferText::free_colour_pair(lib::Span<const TextCell> shown) const {
    bool used[kMaxColourPairs] = {};
    for (const TextCell cell : shown)
        if (cell.colours < kMaxColourPairs) used[cell.colours] = true;
    for (uint32_t i = 0; i < kMaxColourPairs; ++i)
        if (!used[i]) return static_cast<uint8_t>(i);
    return kNoColourPair;
}

void FramebufferText::clear(TextCell blank) {
    if (!usable()) return;
    KASSERT(blank.colours < m_pair_count);
    const uint32_t background = m_storage->pairs[blank.colours].packed_background;
    const uint32_t piece_pixels = static_cast<uint32_t>(kLineBufferBytes / m_bytes_per_pixel);
    for (uint32_t x = 0; x < m_spec.width; x += piece_pixels) {
        const uint32_t pixels = m_spec.width - x < piece_pixels ? m_spec.width - x : piece_pixels;
        put_pixels(m_storage->line, m_bytes_per_pixel, background, pixels);
        for (uint32_t y = 0; y < m_spec.height; ++y) {
            m_screen.store(static_cast<size_t>(y) * m_spec.pitch + static_cast<size_t>(x) * m_bytes_per_pixel,
                           m_storage->line, static_cast<size_t>(pixels) * m_bytes_per_pixel);
        }
    }
}

// Cells go to the screen a pixel row at a time, through the line buffer, in pieces the buffer holds.
void FramebufferText::draw(uint32_t row, uint32_t first, const TextCell* cells, uint32_t count) {
    if (row >= m_rows || first > m_columns || count > m_columns - first) return;
    for (uint32_t i = 0; i < count; ++i) KASSERT(cells[i].colours < m_pair_count);
    const size_t cell_bytes = static_cast<size_t>(m_font.width) * m_bytes_per_pixel;
    const size_t margin_bytes = static_cast<size_t>(m_right_margin) * m_bytes_per_pixel;
    const auto piece = static_cast<uint32_t>((kLineBufferBytes - margin_bytes) / cell_bytes);
    for (uint32_t done = 0; done < count; done += piece)
        draw_piece(row, first + done, cells + done, count - done < piece ? count - done : piece);
}

void FramebufferText::draw_piece(uint32_t row, uint32_t first, const TextCell* cells, uint32_t count) const {
    const uint32_t margin = first + count == m_columns ? m_right_margin : 0;
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
