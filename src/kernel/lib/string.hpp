// C-string helpers for freestanding code that has no <cstring>.
#pragma once

#include <stddef.h>

namespace kernel::lib {

constexpr size_t string_length(const char* text) {
    size_t length = 0;
    while (text[length] != '\0') ++length;
    return length;
}

}  // namespace kernel::lib
