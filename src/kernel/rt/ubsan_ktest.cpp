// In-kernel tests of the UBSan runtime. This file is always compiled with
// -fsanitize=undefined (src/meson.build), so the tests exist whether or not
// the rest of the kernel is (-Dubsan=true).
#include <stdint.h>

#include "testing/ktest.hpp"

namespace {

// Volatile, so the compiler cannot fold the UB away at build time.
constinit volatile int32_t g_int_max = INT32_MAX;
constinit volatile uint32_t g_index = 4;

}  // namespace

KTEST_EXPECT_PANIC(ubsan_reports_signed_overflow, "UBSan: signed integer overflow in addition (type 'int') at",
                   "ubsan_ktest.cpp:") {
    const int32_t sum = g_int_max + 1;
    g_int_max = sum;
}

KTEST_EXPECT_PANIC(ubsan_reports_out_of_bounds_index, "UBSan: array index out of bounds", "ubsan_ktest.cpp:") {
    int32_t values[4] = {1, 2, 3, 4};
    g_int_max = values[g_index];
}
