// CPUID, control registers and model-specific registers, typed and named.
#pragma once

#include <stdint.h>

#include "x86_constants.hpp"

namespace kernel::arch {

struct CpuidResult {
    uint32_t eax, ebx, ecx, edx;
};

inline CpuidResult cpuid(uint32_t leaf, uint32_t subleaf = 0) {
    CpuidResult r;
    asm volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(subleaf));
    return r;
}

// Values the boot assembly uses too come from x86_constants.hpp (src/boot/meson.build).
inline constexpr uint32_t kCpuidFeatures = 1;  // leaf 1: the feature bits in ECX and EDX
inline constexpr uint32_t kCpuidExtendedFeatures = CPUID_EXT_FEATURES;
inline constexpr uint32_t kCpuidExtendedNx = CPUID_EXT_EDX_NX;  // EDX of kCpuidExtendedFeatures

// The time-stamp counter; `lfence` keeps it from being read early.
inline uint64_t read_tsc() {
    uint32_t low, high;
    asm volatile("lfence; rdtsc" : "=a"(low), "=d"(high) : : "memory");
    return (uint64_t(high) << 32) | low;
}

// The TSC's frequency in Hz as CPUID states it: leaf 0x15 (crystal clock times
// the TSC/crystal ratio), else leaf 0x16 (base frequency in MHz); 0 when the
// CPU states neither (QEMU's default CPU models, many older CPUs).
inline constexpr uint32_t kCpuidTscLeaf = 0x15;
inline constexpr uint32_t kCpuidFrequencyLeaf = 0x16;
inline uint64_t tsc_hz() {
    const uint32_t max_leaf = cpuid(0).eax;
    if (max_leaf >= kCpuidTscLeaf) {
        const CpuidResult tsc = cpuid(kCpuidTscLeaf);  // EAX/EBX: TSC/crystal ratio, ECX: crystal Hz
        if (tsc.eax != 0 && tsc.ebx != 0 && tsc.ecx != 0) return uint64_t(tsc.ecx) * tsc.ebx / tsc.eax;
    }
    if (max_leaf >= kCpuidFrequencyLeaf) {
        const uint64_t base_mhz = cpuid(kCpuidFrequencyLeaf).eax & 0xFFFF;
        if (base_mhz != 0) return base_mhz * 1000000;
    }
    return 0;
}

inline constexpr uint32_t kMsrEfer = X86_MSR_IA32_EFER;
inline constexpr uint64_t kEferLongModeActive = 1ull << 10;  // LMA: set by the CPU once long mode runs
inline constexpr uint64_t kEferNxe = X86_EFER_NXE;

inline constexpr uint64_t kCr0WriteProtect = X86_CR0_WP;
inline constexpr uint64_t kCr0Paging = X86_CR0_PG;
inline constexpr uint64_t kCr4Pae = X86_CR4_PAE;

inline uint64_t read_msr(uint32_t msr) {
    uint32_t low, high;
    asm volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
    return (uint64_t(high) << 32) | low;
}

inline void write_msr(uint32_t msr, uint64_t value) {
    asm volatile("wrmsr" : : "c"(msr), "a"(uint32_t(value)), "d"(uint32_t(value >> 32)));
}

inline uint64_t read_cr0() {
    uint64_t value;
    asm volatile("mov %%cr0, %0" : "=r"(value));
    return value;
}

inline uint64_t read_cr4() {
    uint64_t value;
    asm volatile("mov %%cr4, %0" : "=r"(value));
    return value;
}

inline uint64_t read_cr2() {
    uint64_t value;
    asm volatile("mov %%cr2, %0" : "=r"(value));
    return value;
}

inline uint64_t read_cr3() {
    uint64_t value;
    asm volatile("mov %%cr3, %0" : "=r"(value));
    return value;
}

inline void write_cr3(uint64_t value) {
    asm volatile("mov %0, %%cr3" : : "r"(value) : "memory");
}

}  // namespace kernel::arch
