// In-kernel test of the stack protector: overflowing a local array must end
// in the "stack smashing detected" panic, not in a jump to a smashed return
// address.
#include <stddef.h>
#include <stdint.h>

#include "testing/ktest.hpp"

extern "C" uintptr_t __stack_chk_guard;

namespace {

// The length is volatile, so the compiler cannot prove the overflow and
// refuse to build it (or remove it).
constinit volatile size_t g_smash_length = 64;

[[gnu::noinline]] void overflow_local_array() {
    char buffer[16];
    volatile char* cursor = buffer;
    for (size_t i = 0; i < g_smash_length; ++i) cursor[i] = 'A';
}

}  // namespace

KTEST_EXPECT_PANIC(stack_smash_detected, "PANIC: stack smashing detected") {
    overflow_local_array();
}

KTEST(stack_canary_is_seeded) {
    KEXPECT(__stack_chk_guard != 0x595E9FBD94FDA700ull);  // no longer the link-time value
    KEXPECT_EQ(__stack_chk_guard & 0xFF, 0u);
}
