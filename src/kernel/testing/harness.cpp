// Test-build only: reads what to run from the harness, so one test ISO serves
// every boot test, and echoes the harness's per-run token with the outcome so
// stray output can never pass a test. Results of the batch run are KTAP.
#include "testing/harness.hpp"

#include "arch/x86_64/io.hpp"
#include "drivers/serial.hpp"
#include "lib/hooks.hpp"
#include "lib/log.hpp"
#include "testing/ktest.hpp"
#include "testing/qemu_exit.hpp"

extern "C" const kernel::testing::TestCase __ktests_start[];
extern "C" const kernel::testing::TestCase __ktests_end[];

namespace kernel::testing {

namespace {

constexpr size_t kMaxCommand = 128;
constexpr const char* kBatchName = "ktap";
constexpr const char* kListName = "list";

constinit const char* g_test = nullptr;
constinit const char* g_token = nullptr;
constinit unsigned g_failures = 0;

// Waits for the next byte from the harness on COM1 (the console's driver
// only writes; reading is the test build's business).
char read_serial_byte() {
    using drivers::Serial;
    while ((arch::in8(Serial::kCom1 + Serial::kLineStatus) & Serial::kStatusDataReady) == 0) {
    }
    return static_cast<char>(arch::in8(Serial::kCom1 + Serial::kData));
}

// Indexed by Outcome.
constexpr struct {
    const char* word;
    QemuExit code;
} kOutcomes[] = {
    {"passed", QemuExit::Success},
    {"failed", QemuExit::Failure},
    {"panicked", QemuExit::Panic},
    {"cpu-exception", QemuExit::CpuException},
};

// Reads one '\n'-terminated line; bytes past the buffer are dropped.
void read_line(char* line, size_t size) {
    size_t length = 0;
    for (;;) {
        const char byte = read_serial_byte();
        if (byte == '\n' || byte == '\r') {
            if (length == 0) continue;
            break;
        }
        if (length + 1 < size) line[length++] = static_cast<char>(byte);
    }
    line[length] = '\0';
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

const TestCase* find_test(const char* name) {
    for (const TestCase* test = __ktests_start; test < __ktests_end; ++test)
        if (equals(test->name, name)) return test;
    return nullptr;
}

// Runs every normal test in this boot and reports each as a KTAP line.
[[noreturn]] void run_batch() {
    unsigned planned = 0;
    for (const TestCase* test = __ktests_start; test < __ktests_end; ++test)
        if (test->kind == TestKind::Normal) ++planned;
    log::printf("KTAP version 1\n1..%u\n", planned);
    unsigned number = 0, failed = 0;
    for (const TestCase* test = __ktests_start; test < __ktests_end; ++test) {
        if (test->kind != TestKind::Normal) continue;
        g_failures = 0;
        test->function();
        ++number;
        if (g_failures != 0) ++failed;
        log::printf("%sok %u %s\n", g_failures == 0 ? "" : "not ", number, test->name);
    }
    log::printf("# %u passed, %u failed\n", number - failed, failed);
    finish(failed == 0 ? Outcome::Passed : Outcome::Failed);
}

// Indexed by TestKind: the words the harness reads in the test list.
constexpr const char* kKindWords[] = {"normal", "expect-panic", "fault", "isolated"};
static_assert(sizeof kKindWords / sizeof *kKindWords == static_cast<size_t>(TestKind::Isolated) + 1,
              "one word per TestKind");

// Lists every test this kernel holds, one "mink-test: test <kind> <name>"
// line each, so the harness learns them from the kernel itself.
[[noreturn]] void run_list() {
    for (const TestCase* test = __ktests_start; test < __ktests_end; ++test)
        log::printf("mink-test: test %s %s\n", kKindWords[static_cast<int>(test->kind)], test->name);
    finish(Outcome::Passed);
}

// Runs one test by name in this boot, whatever its kind, after stating what
// its declaration expects: the harness judges the boot by that.
[[noreturn]] void run_single(const TestCase& test) {
    const Outcome expected = test.kind == TestKind::ExpectPanic ? Outcome::Panicked
                             : test.kind == TestKind::Fault     ? Outcome::CpuException
                                                                : Outcome::Passed;
    log::printf("mink-test: expect %s\n", kOutcomes[static_cast<int>(expected)].word);
    for (const char* text : test.expected_serial)
        if (text != nullptr) log::printf("mink-test: expect-serial %s\n", text);
    g_failures = 0;
    test.function();
    if (test.kind == TestKind::ExpectPanic) {
        log::printf("# %s returned without panicking\n", test.name);
        finish(Outcome::Failed);
    }
    finish(g_failures == 0 ? Outcome::Passed : Outcome::Failed);
}

// The product's extension points: a fatal stop ends the test boot with its
// outcome, and a finished boot hands over to the harness.
void on_fatal_stop(hooks::FatalStop why) {
    switch (why) {
    case hooks::FatalStop::Panic: finish(Outcome::Panicked);
    case hooks::FatalStop::CpuException: finish(Outcome::CpuException);
    case hooks::FatalStop::NestedFault: qemu_exit(QemuExit::CpuException);
    }
}

// Runs with the C++ constructors (entry64.asm), before kernel_main.
[[gnu::constructor]] void register_hooks() {
    hooks::set_fatal_stop_hook(on_fatal_stop);
    hooks::set_boot_complete_hook(serve_harness);
}

}  // namespace

void expectation_failed(const char* file, int line, const char* expression) {
    ++g_failures;
    log::printf("# %s:%d: expected %s\n", file, line, expression);
}

void expectation_failed(const char* file, int line, const char* expression, uint64_t left, uint64_t right) {
    ++g_failures;
    log::printf("# %s:%d: expected %s, got %#llx and %#llx\n", file, line, expression, (unsigned long long)left,
                (unsigned long long)right);
}

void finish(Outcome outcome) {
    const auto& result = kOutcomes[static_cast<int>(outcome)];
    if (g_test != nullptr) log::printf("mink-test: finished %s %s %s\n", g_test, g_token, result.word);
    qemu_exit(result.code);
}

void serve_harness() {
    log::print("mink-test: ready\n");
    char line[kMaxCommand];
    read_line(line, sizeof line);
    char* cursor = line;
    const char* verb = next_word(cursor);
    const char* test = next_word(cursor);
    const char* token = next_word(cursor);
    if (!equals(verb, "run") || *test == '\0' || *token == '\0') {
        log::printf("mink-test: malformed command '%s'\n", line);
        finish(Outcome::Failed);
    }
    g_test = test;
    g_token = token;
    if (equals(test, kBatchName)) run_batch();
    if (equals(test, kListName)) run_list();
    const TestCase* found = find_test(test);
    if (found == nullptr) {
        log::printf("mink-test: no test named '%s'\n", test);
        finish(Outcome::Failed);
    }
    run_single(*found);
}

}  // namespace kernel::testing
