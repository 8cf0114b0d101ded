// Builds and loads the kernel GDT (null, code, data, TSS) and the TSS whose
// IST stacks catch double faults, NMIs and machine checks.
#include "arch/x86_64/gdt.hpp"

#include "x86_constants.hpp"

namespace kernel::arch {

namespace {

// Access byte: P | DPL(2) | S | Executable | Direction/Conforming | RW | Accessed.
// Accessed is preset so the CPU never needs to write it back. The code and
// data segments are the trampoline's too (x86_constants.hpp, src/boot/meson.build).
constexpr uint8_t kAccessKernelCode = GDT_ACCESS_KERNEL_CODE;
constexpr uint8_t kAccessKernelData = GDT_ACCESS_KERNEL_DATA;
constexpr uint8_t kAccessTssAvailable = 0b1000'1001;  // present, system, type 9: 64-bit TSS (available)
// Flags nibble: G | DB | L | AVL.
constexpr uint8_t kFlagsCode64 = GDT_FLAGS_CODE64;  // 4 KiB granular, long mode
constexpr uint8_t kFlagsData = GDT_FLAGS_DATA;      // 4 KiB granular, 32-bit default size (ignored in long mode)

constexpr size_t kIstStackSize = 8 * 1024;

struct [[gnu::packed]] SegmentDescriptor {
    uint16_t limit_low;
    uint16_t base_low;
    uint8_t base_mid;
    uint8_t access;
    uint8_t flags_limit_high;  // flags << 4 | limit 16-19
    uint8_t base_high;
};
static_assert(sizeof(SegmentDescriptor) == 8);

// A system descriptor (TSS) takes two GDT slots in long mode.
struct [[gnu::packed]] SystemDescriptor {
    SegmentDescriptor low;
    uint32_t base_upper;
    uint32_t reserved;
};
static_assert(sizeof(SystemDescriptor) == 16);

struct [[gnu::packed]] Gdt {
    SegmentDescriptor null;
    SegmentDescriptor kernel_code;
    SegmentDescriptor kernel_data;
    SystemDescriptor tss;
};
static_assert(offsetof(Gdt, kernel_code) == kKernelCodeSelector);
static_assert(offsetof(Gdt, kernel_data) == kKernelDataSelector);
static_assert(offsetof(Gdt, tss) == kTssSelector);

struct [[gnu::packed]] DescriptorTablePointer {
    uint16_t limit;
    uint64_t base;
};
static_assert(sizeof(DescriptorTablePointer) == 10);

struct alignas(16) IstStack {
    uint8_t bytes[kIstStackSize];
};

constexpr SegmentDescriptor flat_segment(uint8_t access, uint8_t flags) {
    return {0xFFFF, 0, 0, access, static_cast<uint8_t>(flags << 4 | 0xF), 0};
}

// Not const: LTR sets the busy bit in the TSS descriptor.
constinit Gdt g_gdt{
    {},
    flat_segment(kAccessKernelCode, kFlagsCode64),
    flat_segment(kAccessKernelData, kFlagsData),
    {},
};
constinit TaskStateSegment g_tss{};
constinit IstStack g_ist_stacks[kIstStackCount]{};

SystemDescriptor tss_descriptor(const TaskStateSegment& tss) {
    const uint64_t base = reinterpret_cast<uintptr_t>(&tss);
    const uint32_t limit = sizeof(TaskStateSegment) - 1;
    SystemDescriptor descriptor{};
    descriptor.low.limit_low = static_cast<uint16_t>(limit);
    descriptor.low.base_low = static_cast<uint16_t>(base);
    descriptor.low.base_mid = static_cast<uint8_t>(base >> 16);
    descriptor.low.access = kAccessTssAvailable;
    descriptor.low.flags_limit_high = static_cast<uint8_t>((limit >> 16) & 0xF);
    descriptor.low.base_high = static_cast<uint8_t>(base >> 24);
    descriptor.base_upper = static_cast<uint32_t>(base >> 32);
    return descriptor;
}

}  // namespace

void set_ist_stack(IstSlot slot, uint64_t top) {
    g_tss.ist[static_cast<size_t>(slot) - 1] = top;
}

void init_gdt() {
    // Stacks grow down: each IST entry holds the top of its stack.
    for (size_t slot = 0; slot < kIstStackCount; ++slot)
        g_tss.ist[slot] = reinterpret_cast<uintptr_t>(g_ist_stacks[slot].bytes) + kIstStackSize;
    g_tss.io_map_base = sizeof(TaskStateSegment);  // no I/O permission bitmap
    g_gdt.tss = tss_descriptor(g_tss);

    const DescriptorTablePointer pointer{sizeof(Gdt) - 1, reinterpret_cast<uintptr_t>(&g_gdt)};
    // CS can only be reloaded by a far transfer: push the new CS and a return
    // address and "return" to the next instruction through LRETQ.
    asm volatile(
        "lgdt %[pointer]\n\t"
        "pushq %[code]\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "movw %[data], %%ax\n\t"
        "movw %%ax, %%ds\n\t"
        "movw %%ax, %%es\n\t"
        "movw %%ax, %%ss\n\t"
        "ltr %[tss]"
        :
        : [pointer] "m"(pointer), [code] "i"(kKernelCodeSelector), [data] "i"(kKernelDataSelector),
          [tss] "r"(kTssSelector)
        : "rax", "memory");
}

}  // namespace kernel::arch
