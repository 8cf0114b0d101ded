// Reports CPU exceptions: which one, why (decoded error code), where (RIP,
// CR2) and the full register state, compact enough for an 80x25 screen.
// Every exception but #BP then stops the machine, never a silent reset.
#include "arch/x86_64/exceptions.hpp"

#include "addr/layout.hpp"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/cpu_local.hpp"
#include "arch/x86_64/io.hpp"
#include "arch/x86_64/page_entry.hpp"
#include "lib/hooks.hpp"
#include "lib/log.hpp"

// The page below the kernel stack (entry64.asm); unmapped by the kernel's page tables.
extern "C" char kernel_stack_guard[];

namespace kernel::arch {

namespace {

struct ExceptionInfo {
    const char* mnemonic;
    const char* name;
};

constexpr ExceptionInfo kExceptions[kExceptionVectorCount] = {
    {"#DE", "Divide error"},
    {"#DB", "Debug"},
    {"NMI", "Non-maskable interrupt"},
    {"#BP", "Breakpoint"},
    {"#OF", "Overflow"},
    {"#BR", "BOUND range exceeded"},
    {"#UD", "Invalid opcode"},
    {"#NM", "Device not available"},
    {"#DF", "Double fault"},
    {"#09", "Coprocessor segment overrun"},
    {"#TS", "Invalid TSS"},
    {"#NP", "Segment not present"},
    {"#SS", "Stack-segment fault"},
    {"#GP", "General protection"},
    {"#PF", "Page fault"},
    {"#15", "Reserved"},
    {"#MF", "x87 floating-point error"},
    {"#AC", "Alignment check"},
    {"#MC", "Machine check"},
    {"#XM", "SIMD floating-point error"},
    {"#VE", "Virtualization exception"},
    {"#CP", "Control protection"},
    {"#22", "Reserved"},
    {"#23", "Reserved"},
    {"#24", "Reserved"},
    {"#25", "Reserved"},
    {"#26", "Reserved"},
    {"#27", "Reserved"},
    {"#HV", "Hypervisor injection"},
    {"#VC", "VMM communication"},
    {"#SX", "Security exception"},
    {"#31", "Reserved"},
};

constinit bool g_reporting = false;

// Error codes of #TS, #NP, #SS, #GP name a selector (or IDT vector).
bool has_selector_error_code(uint64_t vector) {
    return vector >= 10 && vector <= 13;
}

// The guard page address lies in, if it is one: the boot stack's, or the
// one below each kernel stack slot (addr/layout.hpp); zero if none.
uint64_t guard_page_of(uint64_t address) {
    const uintptr_t boot_guard = reinterpret_cast<uintptr_t>(kernel_stack_guard);
    if (address >= boot_guard && address < boot_guard + kPageSize) return boot_guard;
    const uint64_t stacks = mm::layout::kKernelStacksBase.value();
    if (address < stacks || address - stacks >= mm::layout::kKernelStacksSize) return 0;
    const uint64_t slot_base = address - (address - stacks) % mm::layout::kKernelStackSlotSize;
    return address - slot_base < kPageSize ? slot_base : 0;
}

// Which thread the CPU was running, as the scheduler last named it.
const char* thread_name() {
    const CpuLocal* cpu = cpu_local_or_null();
    return cpu != nullptr && cpu->thread_name != nullptr ? cpu->thread_name : "(before threads)";
}

void print_error_code(const ExceptionFrame& frame) {
    const uint64_t error = frame.error_code;
    log::printf("error %#llx", (unsigned long long)error);
    if (frame.vector == static_cast<uint64_t>(Vector::PageFault)) {
        log::printf(" (%s, %s, %s%s)", error & kPageFaultPresent ? "present" : "not-present",
                    error & kPageFaultFetch   ? "instruction-fetch"
                    : error & kPageFaultWrite ? "write"
                                              : "read",
                    error & kPageFaultUser ? "user" : "kernel",
                    error & kPageFaultReservedBit ? ", reserved bit set" : "");
    } else if (has_selector_error_code(frame.vector) && error != 0) {
        static constexpr const char* kTables[] = {"GDT", "IDT", "LDT", "IDT"};
        log::printf(" (%s index %llu%s)", kTables[(error >> 1) & 3], (unsigned long long)(error >> 3),
                    error & 1 ? ", external" : "");
    }
    log::print("\n");
}

void print_registers(const ExceptionFrame& f, uint64_t cr2) {
    const auto u = [](uint64_t value) { return (unsigned long long)value; };
    log::printf("RIP=%#016llx RSP=%#016llx RFLAGS=%#08llx\n", u(f.rip), u(f.rsp), u(f.rflags));
    log::printf("CS=%#04llx SS=%#04llx CR2=%#016llx CR3=%#016llx\n", u(f.cs), u(f.ss), u(cr2), u(read_cr3()));
    log::printf("RAX=%#016llx RBX=%#016llx RCX=%#016llx\n", u(f.rax), u(f.rbx), u(f.rcx));
    log::printf("RDX=%#016llx RSI=%#016llx RDI=%#016llx\n", u(f.rdx), u(f.rsi), u(f.rdi));
    log::printf("RBP=%#016llx R8 =%#016llx R9 =%#016llx\n", u(f.rbp), u(f.r8), u(f.r9));
    log::printf("R10=%#016llx R11=%#016llx R12=%#016llx\n", u(f.r10), u(f.r11), u(f.r12));
    log::printf("R13=%#016llx R14=%#016llx R15=%#016llx\n", u(f.r13), u(f.r14), u(f.r15));
}

[[noreturn]] void stop(hooks::FatalStop why) {
    hooks::fatal_stop(why);
    halt_forever();
}

// A fault inside the report (a broken console, say) must not recurse: say
// the least possible on serial and stop.
[[noreturn]] void fault_while_reporting() {
    log::print_emergency("\nmink: exception while reporting an exception\n");
    stop(hooks::FatalStop::NestedFault);
}

void report_breakpoint(const ExceptionFrame& frame) {
    // RIP already points past the one-byte int3, so IRETQ resumes after it.
    log::printf("#BP Breakpoint at RIP=%#llx: resuming\n", (unsigned long long)(frame.rip - 1));
}

}  // namespace

const char* exception_mnemonic(uint64_t vector) {
    return vector < kExceptionVectorCount ? kExceptions[vector].mnemonic : "#??";
}

const char* exception_name(uint64_t vector) {
    return vector < kExceptionVectorCount ? kExceptions[vector].name : "reserved";
}

}  // namespace kernel::arch

extern "C" void exception_dispatch(kernel::arch::ExceptionFrame* frame) {
    using namespace kernel;
    using namespace kernel::arch;
    if (frame->vector == static_cast<uint64_t>(Vector::Breakpoint)) return report_breakpoint(*frame);
    if (g_reporting) fault_while_reporting();
    g_reporting = true;

    // CR2 first: a fault inside the report would overwrite it.
    const uint64_t cr2 = read_cr2();
    const bool page_fault = frame->vector == static_cast<uint64_t>(Vector::PageFault);
    const bool double_fault = frame->vector == static_cast<uint64_t>(Vector::DoubleFault);
    log::set_tone(log::Tone::Bad);
    log::printf("\nCPU EXCEPTION %s %s, ", exception_mnemonic(frame->vector), exception_name(frame->vector));
    print_error_code(*frame);
    const uint64_t guard = guard_page_of(cr2) != 0 ? guard_page_of(cr2) : guard_page_of(frame->rsp);
    if ((page_fault || double_fault) && guard != 0)
        log::printf("kernel stack overflow in thread '%s': hit the guard page at %p\n", thread_name(), (void*)guard);
    log::set_tone(log::Tone::Normal);
    log::printf("Thread '%s'\n", thread_name());
    print_registers(*frame, cr2);
    log::print("mink: halted.\n");
    stop(hooks::FatalStop::CpuException);
}
