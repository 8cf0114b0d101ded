// The kernel console: one write fans out to every output a person or a test
// harness may be watching (screen, serial). It is the sink of the kernel's
// message stream (lib/log.hpp), through which every layer prints.
#pragma once

#include <stddef.h>

#include "drivers/framebuffer.hpp"
#include "drivers/vga_text.hpp"
#include "lib/error.hpp"

namespace kernel::console {

// Brings up COM1 and makes the console the message stream's sink. Call
// first: everything after it can be observed.
void init();
// Makes the VGA text screen the console's screen and clears it; an unusable
// one leaves the console's screen as it was.
void attach_vga_text(const drivers::VgaText& screen);
// Makes a framebuffer drawn with the embedded PSF font the console's screen
// and clears it; on failure returns why and leaves the console's screen as it
// was.
[[nodiscard]] ErrorOr<void> attach_framebuffer(const drivers::FramebufferSpec& spec);

// Blanks the screen, the cursor at its top left, and asks a terminal on
// COM1 to do the same (ECMA-48: cursor home, erase the display).
void clear();

// Writes TEXT to serial alone: lines for machines (tools/benchmark.py), not
// for the person at the screen.
void write_serial_only(const char* text);

// Whether anything but serial shows the console.
bool has_screen();

}  // namespace kernel::console
