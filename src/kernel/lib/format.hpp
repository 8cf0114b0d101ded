// printf-style formatting without a C library: pure code, host-tested.
#pragma once

#include <stdarg.h>
#include <stddef.h>

namespace kernel::lib {

// Receives each formatted character; `context` is passed through untouched.
using FormatSink = void (*)(char c, void* context);

// Supports %% %c %s %d %i %u %x %X %p with flags '-' '0' '#', a width, and the
// length modifiers l, ll, z. Unknown conversions are printed verbatim so a
// typo shows up in the output instead of eating arguments. Returns the
// number of characters produced.
size_t format(FormatSink sink, void* context, const char* format, va_list arguments);

// snprintf: writes at most `size - 1` characters and a terminating NUL;
// returns the length the full output would have.
[[gnu::format(printf, 3, 4)]] size_t format_to(char* buffer, size_t size, const char* format, ...);
size_t format_to_v(char* buffer, size_t size, const char* format, va_list arguments);

}  // namespace kernel::lib
