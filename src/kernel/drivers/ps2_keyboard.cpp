// Glue between the 8042 driver, the interrupt routing and the ring buffer.
#include "drivers/ps2_keyboard.hpp"

#include "arch/x86_64/interrupts.hpp"
#include "arch/x86_64/io.hpp"
#include "drivers/interrupt_routing.hpp"
#include "drivers/ps2_controller.hpp"
#include "drivers/system_timer.hpp"
#include "drivers/typed_input.hpp"
#include "lib/port_io.hpp"
#include "lib/ring_buffer.hpp"

namespace kernel::drivers {

namespace {

constexpr uint8_t kKeyboardIrq = 1;

class InstructionPortIo final : public lib::PortIo {
public:
    uint8_t read8(uint16_t port) override { return arch::in8(port); }
    void write8(uint16_t port, uint8_t value) override { arch::out8(port, value); }
};

// Waits on whatever system_delay() is when the wait happens: the calibrated
// TSC once the timer runs.
class SystemDelay final : public lib::Delay {
public:
    void wait_microseconds(uint32_t microseconds) override { system_delay().wait_microseconds(microseconds); }
};

constinit InstructionPortIo g_ports;
constinit SystemDelay g_delay;
constinit Ps2Controller g_controller{g_ports, g_delay};
// A few seconds of typing; a full ring drops (and counts) what does not fit.
constinit lib::RingBuffer<uint8_t, 256> g_bytes;

// The controller's buffer holds a few bytes at most: more in one go means its
// output-full bit is stuck, and the read must end anyway.
constexpr size_t kMaxPendingBytes = 16;

// Moves what the controller holds into the ring.
void drain_controller() {
    uint8_t bytes[kMaxPendingBytes];
    const size_t count = g_controller.read_pending(bytes);
    for (size_t i = 0; i < count; ++i)
        if (g_bytes.push(bytes[i])) byte_typed();  // wakes the thread waiting for typing
}

// The interrupt only queues: decoding and echoing happen outside it.
void on_keyboard_interrupt(arch::InterruptFrame&, void*) {
    drain_controller();
}

bool firmware_says_no_8042(const acpi::Summary* acpi) {
    if (acpi == nullptr || acpi->fadt.is_error()) return false;
    const acpi::Fadt& fadt = acpi->fadt.value();
    return fadt.hardware_reduced || (fadt.boot_arch_valid && !fadt.boot_arch.has_8042);
}

}  // namespace

ErrorOr<void> init_ps2_keyboard(const acpi::Summary* acpi) {
    if (firmware_says_no_8042(acpi)) return Error::Ps2NoController;
    TRY(g_controller.init_keyboard());
    const uint8_t vector = isa_irq_vector(kKeyboardIrq);
    if (arch::register_interrupt_handler(vector, on_keyboard_interrupt, nullptr).is_error())
        return Error::Ps2VectorTaken;
    const ErrorOr<void> routed = route_isa_irq(kKeyboardIrq, vector);
    if (routed.is_error()) {
        arch::unregister_interrupt_handler(vector, on_keyboard_interrupt);
        return routed;
    }
    // A key pressed during bring-up left a byte that raises no new edge.
    const uint64_t flags = arch::save_and_disable_interrupts();
    drain_controller();
    arch::restore_interrupts(flags);
    return {};
}

lib::Optional<uint8_t> next_keyboard_byte() {
    return g_bytes.pop();
}

}  // namespace kernel::drivers
