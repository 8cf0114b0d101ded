// In-kernel tests: KTEST(name) { ... } next to the code it tests, collected
// through the .ktests linker section and run by the test build (testing/harness).
#pragma once

#include <stdint.h>

namespace kernel::testing {

// Named in the test list the harness asks for ("run list", testing/harness.cpp).
enum class TestKind : uint8_t {
    Normal,       // runs in the KTAP batch boot with every other normal test
    ExpectPanic,  // must end in panic(); runs in a boot of its own
    Fault,        // must end in a CPU exception report; runs in a boot of its own
    Isolated,     // ends the boot some other way (a hang, a dump); runs in a boot of its own
};

// Texts a single-boot test's serial log must show, at most this many.
constexpr int kMaxExpectedTexts = 3;

struct TestCase {
    const char* name;
    void (*function)();
    TestKind kind;
    const char* expected_serial[kMaxExpectedTexts];
};

// Records a failed expectation in the running test; the test goes on.
void expectation_failed(const char* file, int line, const char* expression);
void expectation_failed(const char* file, int line, const char* expression, uint64_t left, uint64_t right);

}  // namespace kernel::testing

#define KTEST_DEFINE(name, kind, ...)                                                                 \
    static void ktest_function_##name();                                                              \
    [[gnu::used, gnu::section(".ktests")]] static constexpr ::kernel::testing::TestCase ktest_##name{ \
        #name, ktest_function_##name, ::kernel::testing::TestKind::kind, {__VA_ARGS__}};              \
    static void ktest_function_##name()

// A test's expectations live with it: the harness (tests/harness.py) learns
// them from the kernel, and asks the test kernel for its list of tests to give
// each one declared with KTEST_EXPECT_PANIC or KTEST_FAULT a boot of its own
// (tests/ktest/meson.build). One edit adds a test, e.g.
//   KTEST_FAULT(fault_divide_error, "CPU EXCEPTION #DE Divide error", "RIP=0x") { ... }
#define KTEST(name) KTEST_DEFINE(name, Normal)
// Must panic, and the serial log must show each text (one to three).
#define KTEST_EXPECT_PANIC(name, text, ...) KTEST_DEFINE(name, ExpectPanic, text __VA_OPT__(, ) __VA_ARGS__)
// Must end in a CPU exception report showing each text (one to three).
#define KTEST_FAULT(name, text, ...) KTEST_DEFINE(name, Fault, text __VA_OPT__(, ) __VA_ARGS__)
// Ends its boot some other way; run by name (tools, harness self-tests).
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
