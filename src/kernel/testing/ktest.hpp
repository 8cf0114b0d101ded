// In-kernel tests: KTEST(name) { ... } next to the code it tests, collected
// through the .ktests linker section and run by the test build (testing/harness).
#pragma once

#include <stdint.h>

namespace kernel::testing {

enum class TestKind : uint8_t {
    Normal,       // runs in the KTAP batch boot with every other normal test
    ShouldPanic,  // must end in panic(); runs in a boot of its own
    Isolated,     // ends the boot (a fault, a hang); runs in a boot of its own
};

struct TestCase {
    const char* name;
    void (*function)();
    TestKind kind;
};

// Records a failed expectation in the running test; the test goes on.
void expectation_failed(const char* file, int line, const char* expression);
void expectation_failed(const char* file, int line, const char* expression, uint64_t left, uint64_t right);

}  // namespace kernel::testing

#define KTEST_DEFINE(name, kind)                                                                      \
    static void ktest_function_##name();                                                              \
    [[gnu::used, gnu::section(".ktests")]] static constexpr ::kernel::testing::TestCase ktest_##name{ \
        #name, ktest_function_##name, ::kernel::testing::TestKind::kind};                             \
    static void ktest_function_##name()

#define KTEST(name) KTEST_DEFINE(name, Normal)
#define KTEST_SHOULD_PANIC(name) KTEST_DEFINE(name, ShouldPanic)
#define KTEST_ISOLATED(name) KTEST_DEFINE(name, Isolated)

#define KEXPECT(expression)                                                                        \
    do {                                                                                           \
        if (!(expression)) ::kernel::testing::expectation_failed(__FILE__, __LINE__, #expression); \
    } while (0)

#define KEXPECT_EQ(left, right)                                                                                  \
    do {                                                                                                         \
        const auto ktest_left = (left);                                                                          \
        const auto ktest_right = (right);                                                                        \
        if (!(ktest_left == ktest_right))                                                                        \
            ::kernel::testing::expectation_failed(__FILE__, __LINE__, #left " == " #right, (uint64_t)ktest_left, \
                                                  (uint64_t)ktest_right);                                        \
    } while (0)
