// What a person meets after the boot: a prompt that echoes what they type on
// every console, until the machine is switched off.
#pragma once

namespace kernel::console {

// Where typing can come from: the inputs whose bring-up worked.
struct Inputs {
    bool keyboard = false;  // PS/2, drivers/ps2_keyboard
    bool serial = false;    // a terminal on COM1, drivers/serial_input
};

// Prints the prompt and echoes what is typed on any input for good, into
// one line, sleeping with interrupts on between keys; without an input,
// only sleeps.
[[noreturn]] void run_prompt(Inputs inputs);

}  // namespace kernel::console
