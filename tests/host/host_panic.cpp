// Host-test stand-in for the kernel's panic(): turns a KASSERT or panic in pure
// code into a C++ exception the test can catch with EXPECT_THROW.
#include <cstdarg>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "lib/panic.hpp"

void panic(const char* format, ...) {
    char message[512];
    va_list arguments;
    va_start(arguments, format);
    std::vsnprintf(message, sizeof message, format, arguments);
    va_end(arguments);
    throw std::runtime_error(std::string("panic: ") + message);
}
