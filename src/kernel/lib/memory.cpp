// Plain-loop implementations of the memory primitives. This file is built with
// -fno-builtin (see meson.build) so the optimiser cannot recognise a loop as
// "memcpy" and compile it into a call to itself; tests/check_mem_symbols.py
// disassembles the kernel to prove it.
#include "lib/memory.hpp"

#include <stdint.h>

namespace kernel::lib {

namespace {
// A word type allowed to alias any object, so the word loop stays defined.
using AliasingWord [[gnu::may_alias]] = uint64_t;
}  // namespace

void* copy_memory(void* destination, const void* source, size_t count) {
    auto* d = static_cast<unsigned char*>(destination);
    const auto* s = static_cast<const unsigned char*>(source);
    // Whole words while both pointers are 8-byte aligned: a large win for
    // framebuffer scrolling, and still a plain loop.
    if (((reinterpret_cast<uintptr_t>(d) | reinterpret_cast<uintptr_t>(s)) & 7) == 0)
        for (; count >= 8; count -= 8, d += 8, s += 8)
            *reinterpret_cast<AliasingWord*>(d) = *reinterpret_cast<const AliasingWord*>(s);
    for (; count > 0; --count) *d++ = *s++;
    return destination;
}

void* move_memory(void* destination, const void* source, size_t count) {
    auto* d = static_cast<unsigned char*>(destination);
    const auto* s = static_cast<const unsigned char*>(source);
    if (d == s || count == 0) return destination;
    if (d < s || d >= s + count) return copy_memory(destination, source, count);
    // Overlap with the destination above the source: copy backwards.
    while (count > 0) {
        --count;
        d[count] = s[count];
    }
    return destination;
}

void* fill_memory(void* destination, int value, size_t count) {
    auto* d = static_cast<unsigned char*>(destination);
    for (size_t i = 0; i < count; ++i) d[i] = static_cast<unsigned char>(value);
    return destination;
}

int compare_memory(const void* left, const void* right, size_t count) {
    const auto* l = static_cast<const unsigned char*>(left);
    const auto* r = static_cast<const unsigned char*>(right);
    for (size_t i = 0; i < count; ++i)
        if (l[i] != r[i]) return l[i] < r[i] ? -1 : 1;
    return 0;
}

}  // namespace kernel::lib
