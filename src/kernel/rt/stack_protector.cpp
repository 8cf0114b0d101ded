// The stack protector's runtime: the canary (__stack_chk_guard, read by every
// protected function; -mstack-protector-guard=global) and what happens when
// a canary was overwritten. entry64.asm seeds the canary before kernel_main,
// while no protected function is on the stack to see it change.
#include <stdint.h>

#include "arch/x86_64/cpu.hpp"
#include "lib/panic.hpp"

namespace {

constexpr uint32_t kCpuidEcxRdrand = 1u << 30;
// Intel advises retrying RDRAND about ten times before giving up on it.
constexpr int kRdrandRetries = 10;
// The canary's low byte is zero, so a runaway string copy stops at it
// instead of rewriting it with a matching value.
constexpr uint64_t kTerminatorMask = ~uint64_t{0xFF};

[[clang::no_stack_protector]] bool rdrand(uint64_t& value) {
    for (int attempt = 0; attempt < kRdrandRetries; ++attempt) {
        bool ok;
        asm volatile("rdrand %0" : "=r"(value), "=@ccc"(ok));
        if (ok) return true;
    }
    return false;
}

[[clang::no_stack_protector]] uint64_t rdtsc() {
    uint32_t low, high;
    asm volatile("rdtsc" : "=a"(low), "=d"(high));
    return (uint64_t(high) << 32) | low;
}

// splitmix64's finaliser: spreads the few unpredictable low bits of the
// time stamp counter over the whole word.
[[clang::no_stack_protector]] uint64_t mix(uint64_t value) {
    value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ull;
    value = (value ^ (value >> 27)) * 0x94D049BB133111EBull;
    return value ^ (value >> 31);
}

}  // namespace

extern "C" {

// A fixed value until init_stack_guard runs: constructors are protected too.
constinit uintptr_t __stack_chk_guard = 0x595E9FBD94FDA700ull;

// Not protected itself: the canary changes under its feet.
[[clang::no_stack_protector]] void init_stack_guard() {
    uint64_t seed = 0;
    const bool has_rdrand = (kernel::arch::cpuid(kernel::arch::kCpuidFeatures).ecx & kCpuidEcxRdrand) != 0;
    if (!has_rdrand || !rdrand(seed)) {
        // No hardware randomness: mix two TSC reads around a (slow,
        // emulation-jittered) CPUID with the canary's old value.
        const uint64_t before = rdtsc();
        (void)kernel::arch::cpuid(0);
        seed = mix(before ^ mix(rdtsc()) ^ __stack_chk_guard);
    }
    __stack_chk_guard = seed & kTerminatorMask;
}

[[noreturn, clang::no_stack_protector]] void __stack_chk_fail() {
    panic("stack smashing detected: a stack canary was overwritten in the function containing %p",
          __builtin_return_address(0));
}

}  // extern "C"
