// Console fan-out: the screen first, serial last, so when a harness sees a
// line on serial the same line is already on the screen. The screen's text is
// one grid, drawn on whichever screen is attached: VGA text or a framebuffer.
#include "console/console.hpp"

#include "arch/x86_64/interrupts.hpp"
#include "console/text_grid.hpp"
#include "drivers/psf.hpp"
#include "drivers/serial.hpp"
#include "drivers/vga_cursor.hpp"
#include "lib/log.hpp"
#include "lib/string.hpp"

// The PSF font embedded by the build (tools/embed_font.py).
extern const unsigned char kConsoleFont[];
extern const unsigned long kConsoleFont_size;

namespace kernel::console {

namespace {

// At most one screen is attached: the one GRUB described.
constinit drivers::VgaText g_vga_text;
constinit drivers::FramebufferText g_framebuffer_text;
constinit drivers::FramebufferTextStorage g_framebuffer_text_storage{};
// The screen's text lives here, in .bss: there is no heap, and video memory is never read back.
constinit TextGridStorage g_text_cells{};
constinit TextGrid g_text;

// Each tone in each screen's colours.
struct ToneColours {
    drivers::VgaColour vga_foreground;
    drivers::VgaColour vga_background;
    drivers::Rgb foreground;
    drivers::Rgb background;
};
constexpr ToneColours kNormal{drivers::VgaColour::LightGrey, drivers::VgaColour::Black, {0xAA, 0xAA, 0xAA}, {0, 0, 0}};
constexpr ToneColours kBad{drivers::VgaColour::White, drivers::VgaColour::Red, {0xFF, 0xFF, 0xFF}, {0xAA, 0, 0}};

// The VGA's own cursor follows the text, or it blinks where GRUB left it.
void update_vga_cursor() {
    if (!g_vga_text.usable()) return;
    drivers::move_vga_cursor(static_cast<uint16_t>(g_text.cursor_row() * g_text.columns() + g_text.cursor_column()));
}

// Interrupts are off while the screen and serial change, so what a handler
// prints (an unhandled-vector report) lands between two writes, never inside
// one or mid-scroll; log::printf gives each line one write.
void write(const char* text, size_t length) {
    const uint64_t flags = arch::save_and_disable_interrupts();
    g_text.write(text, length);
    update_vga_cursor();
    drivers::com1().write(text, length);
    arch::restore_interrupts(flags);
}

void write_serial(const char* text, size_t length) {
    drivers::com1().write(text, length);
}

void set_tone(log::Tone tone) {
    const ToneColours& colours = tone == log::Tone::Bad ? kBad : kNormal;
    if (g_vga_text.usable())
        g_text.set_colours(drivers::vga_attribute(colours.vga_foreground, colours.vga_background));
    else if (g_framebuffer_text.usable())
        g_text.set_colours(g_framebuffer_text.colours(colours.foreground, colours.background, g_text.cells()));
}

}  // namespace

void init() {
    (void)drivers::com1().init();
    log::set_sink({write, set_tone, write_serial});
}

void attach_vga_text(const drivers::VgaText& screen) {
    if (!screen.usable()) return;
    g_framebuffer_text = {};
    g_vga_text = screen;
    g_text = TextGrid(g_vga_text, g_text_cells, drivers::VgaText::kDefaultColours);
    g_text.clear();
}

ErrorOr<void> attach_framebuffer(const drivers::FramebufferSpec& spec) {
    const drivers::Font font = TRY(drivers::parse_psf(kConsoleFont, kConsoleFont_size));
    const drivers::FramebufferText screen =
        TRY(drivers::FramebufferText::create(spec, font, g_framebuffer_text_storage));
    g_vga_text = {};
    g_framebuffer_text = screen;
    g_text = TextGrid(g_framebuffer_text, g_text_cells, drivers::FramebufferText::kDefaultColours);
    g_text.clear();
    return {};
}

void clear() {
    constexpr char kTerminalClear[] = "\x1b[H\x1b[2J";
    const uint64_t flags = arch::save_and_disable_interrupts();
    g_text.clear();
    update_vga_cursor();
    drivers::com1().write(kTerminalClear, sizeof kTerminalClear - 1);
    arch::restore_interrupts(flags);
}

void write_serial_only(const char* text) {
    write_serial(text, lib::string_length(text));
}

bool has_screen() {
    return g_text.usable();
}

}  // namespace kernel::console
