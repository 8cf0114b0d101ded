#include "testing/stack_overflow.hpp"

namespace kernel::testing {

namespace {

// Volatile, so the compiler cannot see the recursion is unbounded.
constinit volatile uint64_t g_recursion_limit = ~0ull;

// Each frame keeps 256 bytes alive across the call, so neither inlining nor
// tail calls can flatten the recursion.
[[gnu::noinline]] uint64_t recurse(uint64_t depth) {
    if (depth == g_recursion_limit) return 0;
    volatile uint8_t frame[256];
    frame[depth % sizeof frame] = static_cast<uint8_t>(depth);
    return recurse(depth + 1) + frame[0];
}

}  // namespace

uint64_t overflow_the_stack() {
    return recurse(0);
}

}  // namespace kernel::testing
