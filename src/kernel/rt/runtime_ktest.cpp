// In-kernel tests of the C++ runtime glue: constructors and the mem* symbols
// as the freestanding build compiles them.
#include <stddef.h>
#include <stdint.h>

#include "lib/format.hpp"
#include "testing/ktest.hpp"

extern "C" void* memcpy(void*, const void*, size_t);
extern "C" void* memset(void*, int, size_t);
extern "C" int memcmp(const void*, const void*, size_t);

namespace {

// Only entry64.asm's walk over .init_array can set this before kernel_main.
struct ConstructedAtBoot {
    ConstructedAtBoot() : value(0x6D696E6B) {}
    volatile uint32_t value;
};
ConstructedAtBoot g_constructed;

struct Large {
    uint8_t bytes[300];
};

[[gnu::noinline]] Large copy_of(const Large& source) {
    return source;
}

}  // namespace

KTEST(global_constructors_ran) {
    KEXPECT_EQ(g_constructed.value, 0x6D696E6Bu);
}

// A large struct copy makes the compiler emit a call to memcpy itself.
KTEST(struct_copies_go_through_memcpy) {
    Large source;
    memset(source.bytes, 0xA5, sizeof source.bytes);
    source.bytes[299] = 7;
    const Large copy = copy_of(source);
    KEXPECT_EQ(memcmp(copy.bytes, source.bytes, sizeof source.bytes), 0);
    KEXPECT_EQ(copy.bytes[299], 7);
}

KTEST(format_works_in_the_kernel_build) {
    char buffer[32];
    kernel::lib::format_to(buffer, sizeof buffer, "%s %d %#x", "mink", -5, 0xB8000u);
    const char expected[] = "mink -5 0xb8000";
    KEXPECT_EQ(memcmp(buffer, expected, sizeof expected), 0);
}
