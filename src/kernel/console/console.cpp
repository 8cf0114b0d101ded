// Console fan-out: the screen first, serial last, so when a harness sees a
// line on serial the same line is already on the screen.
#include "console/console.hpp"

#include "lib/format.hpp"

namespace kernel::console {

namespace {

constinit Serial g_serial{Serial::kCom1};
constinit VgaText g_vga_text;

void put_everywhere(char c, void*) {
    write(&c, 1);
}

}  // namespace

Serial& serial() {
    return g_serial;
}

void init_serial() {
    (void)g_serial.init();
}

void attach_vga_text(const VgaText& screen) {
    g_vga_text = screen;
    g_vga_text.clear();
}

void write(const char* text, size_t length) {
    g_vga_text.write(text, length);
    g_serial.write(text, length);
}

void print(const char* text) {
    size_t length = 0;
    while (text[length] != '\0') ++length;
    write(text, length);
}

void vprintf(const char* format, va_list arguments) {
    lib::format(put_everywhere, nullptr, format, arguments);
}

void printf(const char* format, ...) {
    va_list arguments;
    va_start(arguments, format);
    vprintf(format, arguments);
    va_end(arguments);
}

void set_tone(Tone tone) {
    switch (tone) {
    case Tone::Normal: g_vga_text.set_colour(VgaColour::LightGrey, VgaColour::Black); break;
    case Tone::Good: g_vga_text.set_colour(VgaColour::LightGreen, VgaColour::Black); break;
    case Tone::Bad: g_vga_text.set_colour(VgaColour::White, VgaColour::Red); break;
    }
}

}  // namespace kernel::console
