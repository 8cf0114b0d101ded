// What a person meets after the boot: a prompt that echoes what they type on
// every console, until the machine is switched off.
#pragma once

namespace kernel::console {

// Prints the prompt and echoes keys for good, sleeping with interrupts on
// between them; without a keyboard, only sleeps.
[[noreturn]] void run_prompt(bool has_keyboard);

}  // namespace kernel::console
