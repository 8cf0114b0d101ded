// Glue between the UART driver, the interrupt routing and the ring buffer.
#include "drivers/serial_input.hpp"

#include "arch/x86_64/interrupts.hpp"
#include "drivers/interrupt_routing.hpp"
#include "drivers/serial.hpp"
#include "drivers/typed_input.hpp"
#include "lib/ring_buffer.hpp"

namespace kernel::drivers {

namespace {

constexpr uint8_t kCom1Irq = 4;

// A few seconds of typing, or a pasted paragraph; a full ring drops (and
// counts) what does not fit.
constinit lib::RingBuffer<uint8_t, 256> g_bytes;

// The receive FIFO holds 16 bytes and a few more may arrive while it is
// read. ISA IRQ 4 is edge-triggered: it fires again once the FIFO has been
// emptied and a new byte comes. A UART whose data-ready bit never clears is
// left after this many reads, and stays silent: it costs one short
// interrupt, never the CPU.
constexpr size_t kMaxBytesPerInterrupt = 32;

// Moves what the UART holds into the ring.
void drain_receiver() {
    uint8_t bytes[kMaxBytesPerInterrupt];
    const size_t count = com1().read_received(bytes);
    for (size_t i = 0; i < count; ++i)
        if (g_bytes.push(bytes[i])) byte_typed();  // wakes the thread waiting for typing
}

// The interrupt only queues: the console decodes and echoes outside it.
void on_serial_interrupt(arch::InterruptFrame&, void*) {
    drain_receiver();
}

}  // namespace

ErrorOr<void> init_serial_input() {
    if (!com1().present()) return Error::SerialNoUart;
    const uint8_t vector = isa_irq_vector(kCom1Irq);
    TRY(arch::register_interrupt_handler(vector, on_serial_interrupt, nullptr));
    const ErrorOr<void> routed = route_isa_irq(kCom1Irq, vector);
    if (routed.is_error()) {
        arch::unregister_interrupt_handler(vector, on_serial_interrupt);
        return routed;
    }
    com1().enable_receive_interrupt();
    // Bytes typed during the boot wait in the FIFO (up to 16 of them): they
    // are queued first, with interrupts off so the handler cannot run in
    // between.
    const uint64_t flags = arch::save_and_disable_interrupts();
    drain_receiver();
    arch::restore_interrupts(flags);
    return {};
}

lib::Optional<uint8_t> next_serial_byte() {
    return g_bytes.pop();
}

}  // namespace kernel::drivers
