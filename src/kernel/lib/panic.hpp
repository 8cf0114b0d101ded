// Fatal errors: panic() and KASSERT. Declared here so pure code can use them;
// the kernel defines panic() in rt/panic.cpp (print everywhere, halt), and
// host tests define their own.
#pragma once

[[noreturn, gnu::format(printf, 1, 2)]] void panic(const char* format, ...);

// Stays on in every build: a failed assumption in a kernel is never cheaper
// to ignore than to report.
#define KASSERT(expression)                                                                        \
    do {                                                                                           \
        if (!(expression)) panic("assertion failed: %s (%s:%d)", #expression, __FILE__, __LINE__); \
    } while (0)
