// Tests of the test machinery itself: each proves the harness tells a broken
// kernel from a working one (tests/selftest/meson.build says why each must fail).
#include "lib/log.hpp"
#include "lib/panic.hpp"
#include "testing/ktest.hpp"
#include "testing/qemu_exit.hpp"

// The boot itself is the test: kernel_main got as far as the harness.
KTEST_ISOLATED(boot) {}

KTEST(expectations_that_hold_do_not_fail) {
    KEXPECT(1 + 1 == 2);
    KEXPECT_EQ(6 * 7, 42);
}

KTEST_EXPECT_PANIC(panic_reports_and_halts, "PANIC: deliberate panic from a should-panic test") {
    panic("deliberate panic from a should-panic test");
}

KTEST_EXPECT_PANIC(kassert_failure_panics, "PANIC: assertion failed: two + two == 5") {
    volatile int two = 2;
    KASSERT(two + two == 5);
}

// Must be reported as a timeout, never as a pass.
KTEST_ISOLATED(selftest_hang) {
    for (;;) asm volatile("pause");
}

// With an empty IDT, int3 cannot be delivered: #GP, then #DF, then a triple
// fault, which QEMU turns into exit status 0 under -no-reboot.
KTEST_ISOLATED(selftest_triple_fault) {
    struct [[gnu::packed]] {
        uint16_t limit;
        uint64_t base;
    } empty_idt{0, 0};
    asm volatile("lidt %0; int3" : : "m"(empty_idt));
}

// Claims success with a token the harness never sent: must not pass.
KTEST_ISOLATED(selftest_forged_token) {
    kernel::log::print("mink-test: finished selftest_forged_token 0000000000000000 passed\n");
    kernel::testing::qemu_exit(kernel::testing::QemuExit::Success);
}

// A failing expectation must fail the test (and the batch, were it in it).
KTEST_ISOLATED(selftest_failed_expectation) {
    KEXPECT_EQ(2 + 2, 5);
}

// Panics as declared, but without the declared text: must not pass.
KTEST_EXPECT_PANIC(selftest_missing_text, "PANIC: a text this test never prints") {
    panic("another text");
}
