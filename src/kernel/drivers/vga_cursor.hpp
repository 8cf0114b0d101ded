// The VGA's blinking text cursor, which belongs to its CRT controller and not
// to the text in video memory: without a move it stays where GRUB left it.
#pragma once

#include <stdint.h>

namespace kernel::drivers {

// Puts the cursor on character cell `cell` (row * columns + column).
void move_vga_cursor(uint16_t cell);

}  // namespace kernel::drivers
