// Console fan-out: the screen first, serial last, so when a harness sees a
// line on serial the same line is already on the screen.
#include "console/console.hpp"

#include "arch/x86_64/interrupts.hpp"
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

constinit drivers::Serial g_serial{drivers::Serial::kCom1};
constinit drivers::VgaText g_vga_text;
constinit drivers::FramebufferText g_framebuffer_text;
// The screens' text lives here, in .bss: there is no heap, and video memory is never read back.
constinit drivers::VgaTextStorage g_vga_text_cells{};
constinit drivers::FramebufferTextStorage g_framebuffer_text_cells{};

// The VGA's own cursor follows the text, or it blinks where GRUB left it.
void update_vga_cursor() {
    if (!g_vga_text.usable()) return;
    drivers::move_vga_cursor(
        static_cast<uint16_t>(g_vga_text.cursor_row() * g_vga_text.columns() + g_vga_text.cursor_column()));
}

// Interrupts are off while the screens and serial change, so what a handler
// prints (an unhandled-vector report) lands between two writes, never inside
// one or mid-scroll; log::printf gives each line one write.
void write(const char* text, size_t length) {
    const uint64_t flags = arch::save_and_disable_interrupts();
    g_vga_text.write(text, length);
    update_vga_cursor();
    g_framebuffer_text.write(text, length);
    g_serial.write(text, length);
    arch::restore_interrupts(flags);
}

void write_serial(const char* text, size_t length) {
    g_serial.write(text, length);
}

void set_tone(log::Tone tone) {
    constexpr drivers::Rgb kBlack{0, 0, 0}, kGrey{0xAA, 0xAA, 0xAA}, kWhite{0xFF, 0xFF, 0xFF}, kRed{0xAA, 0, 0};
    switch (tone) {
    case log::Tone::Normal:
        g_vga_text.set_colour(drivers::VgaColour::LightGrey, drivers::VgaColour::Black);
        g_framebuffer_text.set_colour(kGrey, kBlack);
        break;
    case log::Tone::Bad:
        g_vga_text.set_colour(drivers::VgaColour::White, drivers::VgaColour::Red);
        g_framebuffer_text.set_colour(kWhite, kRed);
        break;
    }
}

}  // namespace

void init() {
    (void)g_serial.init();
    log::set_sink({write, set_tone, write_serial});
}

void attach_vga_text(const drivers::VgaText& screen) {
    g_vga_text = screen;
    g_vga_text.keep_cells_in(g_vga_text_cells);
    g_vga_text.clear();
}

const char* attach_framebuffer(const drivers::FramebufferSpec& spec) {
    const drivers::PsfResult font = drivers::parse_psf(kConsoleFont, kConsoleFont_size);
    if (!font.ok()) return drivers::to_string(font.error);
    drivers::FramebufferText screen(spec, font.font, g_framebuffer_text_cells);
    if (!screen.usable()) return drivers::to_string(screen.error());
    g_framebuffer_text = screen;
    g_framebuffer_text.clear();
    return nullptr;
}

void write_serial_only(const char* text) {
    write_serial(text, lib::string_length(text));
}

bool has_screen() {
    return g_vga_text.usable() || g_framebuffer_text.usable();
}

}  // namespace kernel::console
