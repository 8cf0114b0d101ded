// The CPU's side of paging: feature bits, the PAT MSR, CR3 and invlpg.
#include "arch/x86_64/paging.hpp"

#include "arch/x86_64/cpu.hpp"

namespace kernel::arch {

namespace {

constexpr uint32_t kCpuidEdxPat = 1u << 16;
constexpr uint32_t kCpuidExtendedEdxGigabytePages = 1u << 26;

}  // namespace

PagingFeatures paging_features() {
    return {no_execute_enabled(), (cpuid(kCpuidExtendedFeatures).edx & kCpuidExtendedEdxGigabytePages) != 0};
}

bool no_execute_enabled() {
    return (read_msr(kMsrEfer) & kEferNxe) != 0;
}

bool program_pat() {
    if ((cpuid(kCpuidFeatures).edx & kCpuidEdxPat) == 0) return false;
    write_msr(kMsrPat, pat_msr_value());
    return true;
}

void load_page_tables(mm::PhysicalAddress root) {
    write_cr3(root.value());
}

void invalidate_page(void*, mm::VirtualAddress page, uint64_t) {
    asm volatile("invlpg (%0)" : : "r"(page.value()) : "memory");
}

}  // namespace kernel::arch
