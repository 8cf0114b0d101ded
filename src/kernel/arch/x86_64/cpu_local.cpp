// The GS base register points at the CPU's own block.
#include "arch/x86_64/cpu_local.hpp"

#include "arch/x86_64/cpu.hpp"

namespace kernel::arch {

namespace {

// IA32_GS_BASE: the base the CPU adds to every %gs: access in 64-bit mode.
// (User space will need swapgs and IA32_KERNEL_GS_BASE; the kernel alone
// needs only this.)
constexpr uint32_t kMsrGsBase = 0xC0000101;

}  // namespace

void install_cpu_local(CpuLocal* block) {
    block->self = block;
    write_msr(kMsrGsBase, reinterpret_cast<uint64_t>(block));
}

CpuLocal* cpu_local_or_null() {
    return reinterpret_cast<CpuLocal*>(read_msr(kMsrGsBase));
}

}  // namespace kernel::arch
