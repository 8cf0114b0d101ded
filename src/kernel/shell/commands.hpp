// The shell's commands, run by name from one table (commands.cpp).
#pragma once

#include "shell/command_line.hpp"

namespace kernel::shell {

// Runs the command the line's first word names, with the other words as its
// arguments, and prints what it says; prints "NAME: command not found" for
// a name no command has. The line must have a word.
void run_command(const CommandLine& line);

}  // namespace kernel::shell
