// Extension points for code linked in beside the product kernel: the test
// build plugs its harness in here (testing/harness.cpp). The product registers
// nothing, and then each hook does nothing.
#pragma once

#include <stdint.h>

namespace kernel::hooks {

// Why the kernel is about to halt for good.
enum class FatalStop : uint8_t {
    Panic,         // panic() or a failed KASSERT
    CpuException,  // a CPU exception was reported
    NestedFault,   // a fault while reporting one: say nothing more
};

using FatalStopHook = void (*)(FatalStop why);
using BootCompleteHook = void (*)();

void set_fatal_stop_hook(FatalStopHook hook);
void set_boot_complete_hook(BootCompleteHook hook);

// Called by panic() and the exception handler just before they halt; the
// hook may not return.
void fatal_stop(FatalStop why);
// Called by kernel_main once the boot is done, before it idles.
void boot_complete();

}  // namespace kernel::hooks
