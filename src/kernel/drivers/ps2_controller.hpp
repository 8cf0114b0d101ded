// The 8042 PS/2 controller and the keyboard on its first port: bring-up in
// which every wait has a time limit, because on a PC without the controller
// its ports read 0xFF and a driver that spins on them never returns.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/error.hpp"
#include "lib/optional.hpp"
#include "lib/port_io.hpp"
#include "lib/span.hpp"

namespace kernel::drivers {

// Time limits, in microseconds of lib::Delay. A controller answers its own
// commands within microseconds and a keyboard acknowledges within 20 ms; its
// self-test after a reset runs for up to about 0.75 s. The limits leave wide
// margins, and a failure costs one limit, never several.
struct Ps2Timeouts {
    uint32_t poll_interval_us = 10;
    uint32_t response_us = 100'000;
    uint32_t keyboard_self_test_us = 2'000'000;
};

class Ps2Controller {
public:
    static constexpr uint16_t kDataPort = 0x60;
    static constexpr uint16_t kStatusPort = 0x64;   // read
    static constexpr uint16_t kCommandPort = 0x64;  // write

    constexpr Ps2Controller(lib::PortIo& io, lib::Delay& delay, const Ps2Timeouts& timeouts = {})
        : m_io(io), m_delay(delay), m_timeouts(timeouts) {}

    // Finds and tests the controller, resets the keyboard on its first port
    // and leaves it sending scancode set 1 (translated) with IRQ 1 enabled in
    // the controller; the second port stays off. Run with the IRQ masked or
    // interrupts off; afterwards drain read_pending() once the IRQ is routed,
    // since a key pressed meanwhile leaves a byte that raises no new edge.
    // On an error (one of the Ps2* errors) nothing is enabled and the
    // keyboard is unavailable.
    [[nodiscard]] ErrorOr<void> init_keyboard();

    // The bytes the controller holds, at most out.size() of them: what the
    // IRQ 1 handler calls. One status read per byte, and the data port only
    // when full; the limit keeps an output-full bit that never clears from
    // holding the CPU with interrupts off. Returns how many were stored.
    [[nodiscard]] size_t read_pending(lib::Span<uint8_t> out);

private:
    [[nodiscard]] ErrorOr<void> prepare_controller();
    [[nodiscard]] ErrorOr<void> test_controller();
    [[nodiscard]] ErrorOr<void> reset_keyboard();
    [[nodiscard]] ErrorOr<void> send_to_keyboard(uint8_t command);

    [[nodiscard]] bool wait_for_status(uint8_t mask, uint8_t wanted, uint32_t timeout_us);
    [[nodiscard]] bool write_command(uint8_t command);
    [[nodiscard]] bool write_data(uint8_t value);
    [[nodiscard]] lib::Optional<uint8_t> read_data(uint32_t timeout_us);
    [[nodiscard]] lib::Optional<uint8_t> command_with_reply(uint8_t command);
    [[nodiscard]] bool write_configuration();
    [[nodiscard]] bool flush_output();

    lib::PortIo& m_io;
    lib::Delay& m_delay;
    Ps2Timeouts m_timeouts;
    uint8_t m_configuration = 0;  // what the driver last wrote, so no re-read races a keystroke
};

}  // namespace kernel::drivers
