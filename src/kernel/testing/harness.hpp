// The test build's conversation with the QEMU test harness over COM1.
#pragma once

namespace kernel::testing {

// How a test boot ended, as reported to the harness. The kernel states the
// facts; each test's declaration (ktest.hpp) says which outcome it wants.
enum class Outcome { Passed, Failed, Panicked, CpuException };

// Announces readiness, reads one command line ("run <test> <token>") from
// serial, runs it and leaves QEMU with the matching exit code. Two names are
// not tests: "ktap" runs every normal test, "list" lists them all with their kinds.
[[noreturn]] void serve_harness();

// Ends the running test boot: prints "mink-test: finished <test> <token>
// <outcome>" and exits QEMU with the outcome's code. Also reached from panic()
// and the CPU exception handler, through the fatal-stop hook this build
// registers; outside a test it just exits.
[[noreturn]] void finish(Outcome outcome);

}  // namespace kernel::testing
