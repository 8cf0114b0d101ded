// Test-build only: reads what to run from the harness, so one test ISO serves
// every boot test, and echoes the harness's per-run token on success so stray
// output can never pass a test.
#include "testing/harness.hpp"

#include "arch/x86_64/qemu_exit.hpp"
#include "console/console.hpp"
#include "lib/memory.hpp"

namespace kernel::testing {

namespace {

constexpr size_t kMaxCommand = 128;

// Reads one '\n'-terminated line; bytes past the buffer are dropped.
size_t read_line(char* line, size_t size) {
    size_t length = 0;
    for (;;) {
        const int byte = console::serial().read_byte(~0ull);
        if (byte < 0) continue;
        if (byte == '\n' || byte == '\r') {
            if (length == 0) continue;
            break;
        }
        if (length + 1 < size) line[length++] = static_cast<char>(byte);
    }
    line[length] = '\0';
    return length;
}

// Splits off the next space-separated word, NUL-terminating it in place.
char* next_word(char*& cursor) {
    while (*cursor == ' ') ++cursor;
    char* word = cursor;
    while (*cursor != '\0' && *cursor != ' ') ++cursor;
    if (*cursor == ' ') *cursor++ = '\0';
    return word;
}

bool equals(const char* a, const char* b) {
    while (*a != '\0' && *a == *b) ++a, ++b;
    return *a == *b;
}

}  // namespace

void serve_harness() {
    console::print("mink-test: ready\n");
    char line[kMaxCommand];
    read_line(line, sizeof line);
    char* cursor = line;
    const char* verb = next_word(cursor);
    const char* test = next_word(cursor);
    const char* token = next_word(cursor);
    if (!equals(verb, "run") || *token == '\0') {
        console::printf("mink-test: malformed command '%s'\n", line);
        arch::qemu_exit(arch::QemuExit::Failure);
    }
    if (equals(test, "boot")) {
        // The boot itself is the test: kernel_main got here and printed.
        console::printf("mink-test: passed %s %s\n", test, token);
        arch::qemu_exit(arch::QemuExit::Success);
    }
    console::printf("mink-test: unknown test '%s'\n", test);
    arch::qemu_exit(arch::QemuExit::Failure);
}

}  // namespace kernel::testing
