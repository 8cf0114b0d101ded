// In-kernel tests of the CPU state the trampoline promised kernel_main.
#include "arch/x86_64/cpu.hpp"
#include "testing/ktest.hpp"

namespace {

using namespace kernel::arch;

constexpr uint64_t kEferLongModeActive = 1ull << 10;
constexpr uint64_t kCr0Paging = 1ull << 31;
constexpr uint64_t kCr0WriteProtect = 1ull << 16;
constexpr uint64_t kCr4Pae = 1ull << 5;
constexpr uint32_t kCpuidExtendedFeatures = 0x80000001;
constexpr uint32_t kCpuidNx = 1u << 20;

uint64_t read_cr0() {
    uint64_t value;
    asm volatile("mov %%cr0, %0" : "=r"(value));
    return value;
}

uint64_t read_cr4() {
    uint64_t value;
    asm volatile("mov %%cr4, %0" : "=r"(value));
    return value;
}

}  // namespace

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
    const bool cpu_has_nx = (cpuid(kCpuidExtendedFeatures).edx & kCpuidNx) != 0;
    const bool nxe = (read_msr(kMsrEfer) & kEferNxe) != 0;
    KEXPECT_EQ(nxe, cpu_has_nx);
}

KTEST(stack_is_16_byte_aligned_in_calls) {
    alignas(16) volatile uint8_t probe[16];
    KEXPECT_EQ(reinterpret_cast<uintptr_t>(&probe[0]) % 16, 0u);
}
