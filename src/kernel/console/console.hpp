// The kernel console: one write fans out to every output a person or a test
// harness may be watching (screen, serial).
#pragma once

#include <stdarg.h>
#include <stddef.h>

#include "console/serial.hpp"
#include "drivers/framebuffer.hpp"
#include "drivers/vga_text.hpp"

namespace kernel::console {

// Brings up COM1. Call first: everything after it can be observed.
void init_serial();
// Makes the VGA text grid the screen console and clears it.
void attach_vga_text(const drivers::VgaText& screen);
// Makes a framebuffer drawn with the embedded PSF font the screen console and
// clears it; on failure returns why and leaves the screen console off.
[[nodiscard]] const char* attach_framebuffer(const drivers::FramebufferSpec& spec);

void write(const char* text, size_t length);
void print(const char* text);
[[gnu::format(printf, 1, 2)]] void printf(const char* format, ...);
void vprintf(const char* format, va_list arguments);

// Colours used for emphasis (errors, success) on screens that have colour.
enum class Tone { Normal, Good, Bad };
void set_tone(Tone tone);

// Whether anything but serial shows the console.
bool has_screen();

Serial& serial();

}  // namespace kernel::console
