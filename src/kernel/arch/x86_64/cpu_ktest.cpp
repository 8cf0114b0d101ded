// In-kernel tests of the CPU state the trampoline promised kernel_main.
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/paging.hpp"
#include "testing/ktest.hpp"

using namespace kernel::arch;

KTEST(long_mode_is_active) {
    KEXPECT((read_msr(kMsrEfer) & kEferLongModeActive) != 0);
}

KTEST(paging_pae_and_write_protect_are_on) {
    KEXPECT((read_cr0() & kCr0Paging) != 0);
    KEXPECT((read_cr0() & kCr0WriteProtect) != 0);
    KEXPECT((read_cr4() & kCr4Pae) != 0);
}

// NXE must follow CPUID exactly: set without NX support it would be a #GP.
KTEST(nx_enabled_exactly_when_cpu_has_it) {
    const bool cpu_has_nx = (cpuid(kCpuidExtendedFeatures).edx & kCpuidExtendedNx) != 0;
    KEXPECT_EQ(no_execute_enabled(), cpu_has_nx);
}

KTEST(stack_is_16_byte_aligned_in_calls) {
    alignas(16) volatile uint8_t probe[16];
    KEXPECT_EQ(reinterpret_cast<uintptr_t>(&probe[0]) % 16, 0u);
}
