// Host tests for the kernel's printf-style formatter.
#include "lib/format.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

using kernel::lib::format_to;

namespace {

// Each test passes a literal format string through this wrapper, where it is
// no longer a literal; clang (the host compiler without g++) would warn.
#pragma GCC diagnostic ignored "-Wformat-security"
template <typename... Args>
std::string formatted(const char* format, Args... args) {
    char buffer[128];
    format_to(buffer, sizeof buffer, format, args...);
    return buffer;
}

}  // namespace

TEST(Format, IntegersInEveryBaseAndWidth) {
    EXPECT_EQ(formatted("%d %i %u", -42, 7, 42u), "-42 7 42");
    EXPECT_EQ(formatted("%x %X", 0xbeefu, 0xbeefu), "beef BEEF");
    EXPECT_EQ(formatted("%08x|%-5d|%5d", 0x1234u, 3, -3), "00001234|3    |   -3");
    EXPECT_EQ(formatted("%05d", -42), "-0042");
    EXPECT_EQ(formatted("%#x %#X %#llx", 0xb8000u, 0xabu, 0xfd000000ull), "0xb8000 0XAB 0xfd000000");
    EXPECT_EQ(formatted("%llu %lx %zu", 18446744073709551615ull, 0xffffffffffUL, size_t{9}),
              "18446744073709551615 ffffffffff 9");
    EXPECT_EQ(formatted("%lld", INT64_MIN), "-9223372036854775808");
}

TEST(Format, StringsCharactersPointers) {
    EXPECT_EQ(formatted("[%s] [%5s] [%-5s] %c", "hi", "ab", "ab", 'z'), "[hi] [   ab] [ab   ] z");
    const char* volatile none = nullptr;  // volatile: keeps GCC from flagging the deliberate null
    EXPECT_EQ(formatted("%s", none), "(null)");
    EXPECT_EQ(formatted("%p", reinterpret_cast<void*>(0xb8000)), "0x00000000000b8000");
}

TEST(Format, PercentAndUnknownConversionsAreVisible) {
    EXPECT_EQ(formatted("100%%"), "100%");
    EXPECT_EQ(formatted("%q"), "%q");
    EXPECT_EQ(formatted("trailing %"), "trailing %");
}

TEST(Format, TruncatesButReportsFullLength) {
    char buffer[6];
    EXPECT_EQ(format_to(buffer, sizeof buffer, "Hello World!"), 12u);
    EXPECT_STREQ(buffer, "Hello");
    EXPECT_EQ(format_to(buffer, 0, "x"), 1u);
}
