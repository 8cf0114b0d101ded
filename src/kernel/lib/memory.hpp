// Byte-block primitives behind the C memcpy/memmove/memset/memcmp symbols.
#pragma once

#include <stddef.h>

namespace kernel::lib {

void* copy_memory(void* destination, const void* source, size_t count);
void* move_memory(void* destination, const void* source, size_t count);
void* fill_memory(void* destination, int value, size_t count);
int compare_memory(const void* left, const void* right, size_t count);

}  // namespace kernel::lib
