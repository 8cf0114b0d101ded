// The kernel's panic() for every fuzzer: a failed assumption in the code under
// test (KASSERT, an explicit panic) is a finding, so stop the way a sanitizer would.
#include <cstdarg>
#include <cstdio>
#include <cstdlib>

void panic(const char* format, ...) {
    va_list arguments;
    va_start(arguments, format);
    std::vfprintf(stderr, format, arguments);
    va_end(arguments);
    std::fputc('\n', stderr);
    std::abort();
}
