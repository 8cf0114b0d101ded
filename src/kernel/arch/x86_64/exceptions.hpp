// CPU exceptions: the register frame the entry stubs save, and the handler
// that reports an exception on every console before stopping the machine.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace kernel::arch {

inline constexpr unsigned kExceptionVectorCount = 32;

enum class Vector : uint8_t {
    DivideError = 0,
    Debug = 1,
    Nmi = 2,
    Breakpoint = 3,
    InvalidOpcode = 6,
    DoubleFault = 8,
    GeneralProtection = 13,
    PageFault = 14,
    MachineCheck = 18,
};

// The stack as interrupt_stubs.asm leaves it: registers it pushed (last
// pushed first), then vector and error code, then what the CPU pushed.
struct ExceptionFrame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;
    uint64_t error_code;  // 0 for vectors without one
    uint64_t rip, cs, rflags, rsp, ss;
};
static_assert(sizeof(ExceptionFrame) == 22 * 8, "15 registers, vector, error code, 5-word CPU frame");
static_assert(offsetof(ExceptionFrame, rax) == 14 * 8 && offsetof(ExceptionFrame, vector) == 15 * 8);
static_assert(offsetof(ExceptionFrame, rip) == 17 * 8 && offsetof(ExceptionFrame, ss) == 21 * 8);

// Page-fault error code bits (Intel SDM vol. 3, 4.7).
inline constexpr uint64_t kPageFaultPresent = 1u << 0;      // 0: the page was not present
inline constexpr uint64_t kPageFaultWrite = 1u << 1;        // 0: a read
inline constexpr uint64_t kPageFaultUser = 1u << 2;         // 0: in ring 0
inline constexpr uint64_t kPageFaultReservedBit = 1u << 3;  // a reserved PTE bit was set
inline constexpr uint64_t kPageFaultFetch = 1u << 4;        // an instruction fetch

// "#PF", "Page fault" and so on; "#??" / "reserved" outside 0-31.
const char* exception_mnemonic(uint64_t vector);
const char* exception_name(uint64_t vector);

}  // namespace kernel::arch

// Called by interrupt_dispatch for vectors 0-31, interrupts off. Returns only for #BP.
extern "C" void exception_dispatch(kernel::arch::ExceptionFrame* frame);
