// C-string helpers for freestanding code that has no <cstring>.
#pragma once

#include <stddef.h>

namespace kernel::lib {

constexpr size_t string_length(const char* text) {
    size_t length = 0;
    while (text[length] != '\0') ++length;
    return length;
}

// Copies text into out (size bytes), cut to fit, always zero-terminated.
constexpr void copy_string(char* out, size_t size, const char* text) {
    if (size == 0) return;
    size_t length = 0;
    for (; length + 1 < size && text[length] != '\0'; ++length) out[length] = text[length];
    out[length] = '\0';
}

}  // namespace kernel::lib
