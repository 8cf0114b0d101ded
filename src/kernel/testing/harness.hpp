// The test build's conversation with the QEMU test harness over COM1.
#pragma once

namespace kernel::testing {

// Announces readiness, reads one command line ("run <test> <token>") from
// serial, runs it and leaves QEMU with the matching exit code.
[[noreturn]] void serve_harness();

}  // namespace kernel::testing
