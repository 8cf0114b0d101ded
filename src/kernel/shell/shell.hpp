// What a person meets after the boot: the shell, a kernel thread that reads
// lines typed on the keyboard or COM1, echoing them on every console, and
// runs each as a command (commands.hpp).
#pragma once

namespace kernel::shell {

inline constexpr const char* kShellThreadName = "shell";

// The shell thread's entry (sched::create_thread; argument unused): prints
// the prompt, then for good sleeps until a byte is typed, edits the line
// with it, and runs the line when Enter ends it. With no input up it sleeps
// for good.
int shell_main(void* argument);

}  // namespace kernel::shell
