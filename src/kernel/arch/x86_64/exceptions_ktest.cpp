// In-kernel tests of the exception path: each fault below must end its boot
// in a report naming it (each declaration lists the text it must show),
// and int3 must come back. Faults are raised with inline asm, not C++ UB, so
// the compiler (or UBSan) cannot intercept them first.
#include "testing/ktest.hpp"
#include "testing/stack_overflow.hpp"

namespace {

// Never mapped: above the 4 GiB the kernel identity-maps, below the canonical hole.
constexpr uint64_t kUnmappedAddress = 0x0000'1234'5678'9000;
// Non-canonical (bits 63-47 not all equal): any access is #GP, not #PF.
constexpr uint64_t kNonCanonicalAddress = 0x8000'0000'0000'0000;

uint64_t read_u64(uint64_t address) {
    uint64_t value;
    asm volatile("movq (%1), %0" : "=r"(value) : "r"(address) : "memory");
    return value;
}

void write_u64(uint64_t address, uint64_t value) {
    asm volatile("movq %0, (%1)" : : "r"(value), "r"(address) : "memory");
}

}  // namespace

// Reaching the end of the test is the proof: a breakpoint that did not
// resume would halt the boot and the batch would never finish.
KTEST(int3_is_reported_and_resumes) {
    volatile int resumed = 0;
    asm volatile("int3");
    resumed = resumed + 1;
    asm volatile("int3");
    resumed = resumed + 1;
    KEXPECT_EQ(resumed, 2);
}

KTEST_FAULT(fault_divide_error, "CPU EXCEPTION #DE Divide error", "RIP=0x") {
    asm volatile("xorl %%eax, %%eax; xorl %%edx, %%edx; xorl %%ecx, %%ecx; divl %%ecx" : : : "eax", "ecx", "edx");
}

KTEST_FAULT(fault_invalid_opcode, "CPU EXCEPTION #UD Invalid opcode", "R15=0x") {
    asm volatile("ud2");
}

KTEST_FAULT(fault_general_protection, "CPU EXCEPTION #GP General protection", "RAX=0x8000000000000000") {
    (void)read_u64(kNonCanonicalAddress);
}

KTEST_FAULT(fault_page_unmapped, "#PF Page fault, error 0x0 (not-present, read, kernel)", "CR2=0x0000123456789000") {
    (void)read_u64(kUnmappedAddress);
}

KTEST_FAULT(fault_null_read, "#PF Page fault, error 0x0 (not-present, read, kernel)", "CR2=0x0000000000000000") {
    (void)read_u64(0);
}

namespace {
[[gnu::used]] constexpr uint64_t kReadOnlyValue = 0x5EA1ED;
}

KTEST_FAULT(fault_write_rodata, "#PF Page fault, error 0x3 (present, write, kernel)") {
    write_u64(reinterpret_cast<uintptr_t>(&kReadOnlyValue), 0);
}

// Writes a `ret` onto the stack and calls it: NX must refuse the fetch. In
// asm, so the compiler cannot move the "code" to .rodata or drop the call.
KTEST_FAULT(fault_execute_stack, "#PF Page fault, error 0x11 (present, instruction-fetch, kernel)") {
    uint8_t code[16];
    asm volatile("movb $0xC3, (%0)\n\tcall *%0" : : "r"(code) : "memory");
    KEXPECT(!"the stack was executable");
}

KTEST_FAULT(fault_stack_overflow, "CPU EXCEPTION #DF Double fault",
            "kernel stack overflow in thread 'boot': hit the guard page") {
    (void)kernel::testing::overflow_the_stack();
}
