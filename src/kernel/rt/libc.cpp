// The C symbols the compiler emits calls to (struct copies, zeroing, array
// compares), forwarded to the kernel's own implementations in lib/memory.
#include "lib/memory.hpp"

extern "C" {

void* memcpy(void* destination, const void* source, size_t count) {
    return kernel::lib::copy_memory(destination, source, count);
}

void* memmove(void* destination, const void* source, size_t count) {
    return kernel::lib::move_memory(destination, source, count);
}

void* memset(void* destination, int value, size_t count) {
    return kernel::lib::fill_memory(destination, value, count);
}

int memcmp(const void* left, const void* right, size_t count) {
    return kernel::lib::compare_memory(left, right, count);
}

}  // extern "C"
