// Placement new: constructs an object in memory the caller already has (a
// block from the heap taken by hand, say). Freestanding code has no <new>.
#pragma once

#include <stddef.h>

[[nodiscard]] inline void* operator new(size_t, void* where) noexcept {
    return where;
}
