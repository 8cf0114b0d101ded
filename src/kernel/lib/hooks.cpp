// The registered hooks: plain function pointers, set before kernel_main runs.
#include "lib/hooks.hpp"

namespace kernel::hooks {

namespace {

constinit FatalStopHook g_fatal_stop = nullptr;
constinit BootCompleteHook g_boot_complete = nullptr;

}  // namespace

void set_fatal_stop_hook(FatalStopHook hook) {
    g_fatal_stop = hook;
}

void set_boot_complete_hook(BootCompleteHook hook) {
    g_boot_complete = hook;
}

void fatal_stop(FatalStop why) {
    if (g_fatal_stop != nullptr) g_fatal_stop(why);
}

void boot_complete() {
    if (g_boot_complete != nullptr) g_boot_complete();
}

}  // namespace kernel::hooks
