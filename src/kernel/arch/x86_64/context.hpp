// The context switch: the one place where the CPU stops running one thread
// and starts running another (context_switch.asm).
#pragma once

#include <stdint.h>

namespace kernel::arch {

// What switch_context() leaves on a thread's stack, lowest address first:
// the registers the System V ABI says a called function must keep, then the
// return address. Every other register the caller already gave up when it
// called switch_context(), so nothing more needs saving.
struct SwitchFrame {
    uint64_t r15, r14, r13, r12, rbp, rbx;
    uint64_t return_address;
};

}  // namespace kernel::arch

extern "C" {
// Saves the callee-saved registers on the current stack, stores the stack
// pointer in *save_rsp, loads next_rsp and pops the next thread's registers
// from there: it returns in the next thread, where that one last called it
// (or in thread_trampoline, for a thread that never ran). Interrupts off.
void switch_context(uint64_t* save_rsp, uint64_t next_rsp);

// Where a new thread's first switch_context() returns to: calls
// thread_start(), which never returns. The scheduler puts its address in a
// new thread's SwitchFrame.
void thread_trampoline();
}
