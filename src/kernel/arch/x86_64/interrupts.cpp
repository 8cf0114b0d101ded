// The handler table behind vectors 32-255, and the one entry every stub
// calls: exceptions go to their reports, device vectors to their owners.
#include "arch/x86_64/interrupts.hpp"

#include "arch/x86_64/cpu_local.hpp"
#include "lib/log.hpp"
#include "x86_constants.hpp"

namespace kernel::arch {

namespace {

constexpr unsigned kVectorCount = IDT_VECTOR_COUNT;
// A storm of unhandled or spurious interrupts must not drown the console:
// the first few of each are reported, the rest only counted.
constexpr uint64_t kReportsPerKind = 8;

struct Slot {
    InterruptHandler handler = nullptr;
    void* context = nullptr;
    bool spurious = false;
    bool (*is_spurious)(uint8_t vector) = nullptr;  // null: every arrival is spurious
};

constinit Slot g_slots[kVectorCount]{};
constinit InterruptCounts g_counts{};
constinit void (*g_end_of_interrupt)(uint8_t vector) = nullptr;
constinit void (*g_interrupt_exit_hook)() = nullptr;

void acknowledge(uint8_t vector) {
    if (g_end_of_interrupt != nullptr) g_end_of_interrupt(vector);
}

void report_unhandled(uint8_t vector) {
    ++g_counts.unhandled;
    g_counts.last_unhandled_vector = vector;
    if (g_counts.unhandled <= kReportsPerKind)
        log::printf("mink: unhandled interrupt, vector %u (%#x): ignored (%llu so far)\n", vector, vector,
                    (unsigned long long)g_counts.unhandled);
}

// Real hardware raises these now and then (an APIC interrupt withdrawn before
// the CPU took it, noise on a masked 8259 line); a flood of them is a fault.
void report_spurious(uint8_t vector) {
    ++g_counts.spurious;
    if (g_counts.spurious <= kReportsPerKind)
        log::printf("mink: spurious interrupt, vector %u (%#x): ignored (%llu so far)\n", vector, vector,
                    (unsigned long long)g_counts.spurious);
}

}  // namespace

ErrorOr<void> register_interrupt_handler(uint8_t vector, InterruptHandler handler, void* context) {
    if (vector < kFirstDeviceVector) return Error::VectorReservedForExceptions;
    const uint64_t flags = save_and_disable_interrupts();
    Slot& slot = g_slots[vector];
    const bool free = slot.handler == nullptr;
    if (free) {
        slot.handler = handler;  // a spurious mark stays: see mark_spurious_vector()
        slot.context = context;
    }
    restore_interrupts(flags);
    if (!free) return Error::VectorTaken;
    return {};
}

bool unregister_interrupt_handler(uint8_t vector, InterruptHandler handler) {
    const uint64_t flags = save_and_disable_interrupts();
    Slot& slot = g_slots[vector];
    const bool owned = vector >= kFirstDeviceVector && slot.handler == handler;
    if (owned) {
        slot.handler = nullptr;
        slot.context = nullptr;
    }
    restore_interrupts(flags);
    return owned;
}

void mark_spurious_vector(uint8_t vector, bool (*is_spurious)(uint8_t vector)) {
    if (vector < kFirstDeviceVector) return;
    g_slots[vector].spurious = true;
    g_slots[vector].is_spurious = is_spurious;
}

void set_end_of_interrupt(void (*end_of_interrupt)(uint8_t vector)) {
    g_end_of_interrupt = end_of_interrupt;
}

void set_interrupt_exit_hook(void (*hook)()) {
    g_interrupt_exit_hook = hook;
}

InterruptCounts interrupt_counts() {
    const uint64_t flags = save_and_disable_interrupts();
    const InterruptCounts counts = g_counts;
    restore_interrupts(flags);
    return counts;
}

}  // namespace kernel::arch

extern "C" void interrupt_dispatch(kernel::arch::InterruptFrame* frame) {
    using namespace kernel::arch;
    if (frame->vector < kFirstDeviceVector) return exception_dispatch(frame);
    const uint8_t vector = static_cast<uint8_t>(frame->vector);
    const Slot& slot = g_slots[vector];
    if (slot.spurious && (slot.is_spurious == nullptr || slot.is_spurious(vector))) return report_spurious(vector);
    CpuLocal* cpu = cpu_local();
    ++cpu->interrupt_depth;
    if (slot.handler == nullptr) {
        report_unhandled(vector);
    } else {
        ++g_counts.handled;
        slot.handler(*frame, slot.context);
    }
    // An EOI with nothing in service (a vector raised by `int`) changes nothing.
    acknowledge(vector);
    --cpu->interrupt_depth;
    // Acknowledged first: a switch here may not return to this thread for a
    // while, and until the EOI the local APIC would hold back every interrupt
    // of this priority or lower.
    if (g_interrupt_exit_hook != nullptr) g_interrupt_exit_hook();
}
