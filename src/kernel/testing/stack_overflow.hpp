// For tests that overflow a stack on purpose: a recursion the compiler can
// neither see the end of nor flatten, so it runs into the guard page.
#pragma once

#include <stdint.h>

namespace kernel::testing {

// Recurses until the stack runs out; never returns.
uint64_t overflow_the_stack();

}  // namespace kernel::testing
