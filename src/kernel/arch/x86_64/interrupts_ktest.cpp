// In-kernel tests of the vector table: owners, unhandled, spurious and software vectors.
#include "arch/x86_64/interrupts.hpp"
#include "arch/x86_64/local_apic.hpp"
#include "testing/ktest.hpp"

namespace {

using namespace kernel::arch;

constexpr uint8_t kTestVector = 0x81;
constinit int g_calls = 0;

void count_call(InterruptFrame& frame, void* context) {
    if (frame.vector == kTestVector && context == &g_calls) ++g_calls;
}

void other_handler(InterruptFrame&, void*) {}

}  // namespace

KTEST(unhandled_vector_is_reported_and_the_kernel_carries_on) {
    const uint64_t before = interrupt_counts().unhandled;
    asm volatile("int $0x81");
    KEXPECT_EQ(interrupt_counts().unhandled, before + 1);
    KEXPECT_EQ(interrupt_counts().last_unhandled_vector, kTestVector);
}

KTEST(registered_handler_runs_with_its_context) {
    g_calls = 0;
    KEXPECT(!register_interrupt_handler(kTestVector, count_call, &g_calls).is_error());
    asm volatile("int $0x81");
    KEXPECT_EQ(g_calls, 1);
    KEXPECT(unregister_interrupt_handler(kTestVector, count_call));
    const uint64_t before = interrupt_counts().unhandled;
    asm volatile("int $0x81");
    KEXPECT_EQ(g_calls, 1);
    KEXPECT_EQ(interrupt_counts().unhandled, before + 1);
}

KTEST(a_vector_has_one_owner) {
    KEXPECT(!register_interrupt_handler(kTestVector, count_call, nullptr).is_error());
    KEXPECT(register_interrupt_handler(kTestVector, other_handler, nullptr).error() == kernel::Error::VectorTaken);
    KEXPECT(!unregister_interrupt_handler(kTestVector, other_handler));
    KEXPECT(unregister_interrupt_handler(kTestVector, count_call));
    KEXPECT(register_interrupt_handler(3, other_handler, nullptr).error() ==
            kernel::Error::VectorReservedForExceptions);
}

// The local APIC marks its spurious vector when it starts (before the tests
// run); a CPU without one (-cpu qemu64,-apic) has nothing to test here.
KTEST(spurious_vector_is_counted_and_not_acknowledged) {
    if (local_apic_mode() == LocalApicMode::None) return;
    const InterruptCounts before = interrupt_counts();
    asm volatile("int %0" : : "i"(kSpuriousApicVector));
    const InterruptCounts after = interrupt_counts();
    KEXPECT_EQ(after.spurious, before.spurious + 1);
    KEXPECT_EQ(after.unhandled, before.unhandled);  // (the timer may tick meanwhile: `handled` may move)
}
