// The 8042 bring-up sequence as the OSDev wiki's "8042 PS/2 Controller" page
// lays it out, one step per block, every wait bounded by Ps2Timeouts.
#include "drivers/ps2_controller.hpp"

namespace kernel::drivers {

namespace {

// Status register (port 0x64, read).
constexpr uint8_t kStatusOutputFull = 0x01;  // a byte waits at port 0x60 for us
constexpr uint8_t kStatusInputFull = 0x02;   // the controller has not taken our last byte yet
// No controller: nothing drives the bus, so the read floats to all ones. No
// real status has every bit set (that would be parity and timeout errors at
// once, with both buffers full).
constexpr uint8_t kStatusAbsent = 0xFF;

// Controller commands (port 0x64, write).
constexpr uint8_t kReadConfiguration = 0x20;
constexpr uint8_t kWriteConfiguration = 0x60;
constexpr uint8_t kDisablePort2 = 0xA7;
constexpr uint8_t kSelfTest = 0xAA;
constexpr uint8_t kTestPort1 = 0xAB;
constexpr uint8_t kDisablePort1 = 0xAD;
constexpr uint8_t kEnablePort1 = 0xAE;

constexpr uint8_t kSelfTestPassed = 0x55;
constexpr uint8_t kPortTestPassed = 0x00;

// Configuration byte.
constexpr uint8_t kConfigPort1Interrupt = 0x01;
constexpr uint8_t kConfigPort2Interrupt = 0x02;
constexpr uint8_t kConfigPort1ClockOff = 0x10;
constexpr uint8_t kConfigTranslation = 0x40;  // set 2 from the keyboard reaches us as set 1

// Keyboard commands (port 0x60, write) and its replies.
constexpr uint8_t kKeyboardEnableScanning = 0xF4;
constexpr uint8_t kKeyboardReset = 0xFF;
constexpr uint8_t kKeyboardAck = 0xFA;
constexpr uint8_t kKeyboardResend = 0xFE;
constexpr uint8_t kKeyboardSelfTestPassed = 0xAA;
constexpr uint8_t kKeyboardSelfTestFailed1 = 0xFC;
constexpr uint8_t kKeyboardSelfTestFailed2 = 0xFD;

// The controller's buffer holds at most a few bytes; more than this many in a
// row means the output-full bit is stuck, not that data is waiting.
constexpr uint32_t kMaxFlushBytes = 16;
// Resend answers tolerated per keyboard command. An unplugged port answers
// every byte with resend on many controllers, so this must stay small.
constexpr uint32_t kMaxAttempts = 3;
// Scancodes from keys pressed while a command is under way, skipped while
// waiting for its reply.
constexpr uint32_t kMaxStrayBytes = 8;

}  // namespace

ErrorOr<void> Ps2Controller::init_keyboard() {
    TRY(prepare_controller());
    TRY(reset_keyboard());
    // A reset keyboard usually scans already; asking costs one byte and
    // covers the ones that wait to be told.
    TRY(send_to_keyboard(kKeyboardEnableScanning));
    m_configuration |= kConfigPort1Interrupt;
    if (!write_configuration()) return Error::Ps2ControllerTimeout;
    return {};
}

size_t Ps2Controller::read_pending(lib::Span<uint8_t> out) {
    size_t count = 0;
    while (count < out.size() && (m_io.read8(kStatusPort) & kStatusOutputFull) != 0)
        out[count++] = m_io.read8(kDataPort);
    return count;
}

// Up to an enabled, tested first port with interrupts off and translation on.
ErrorOr<void> Ps2Controller::prepare_controller() {
    if (m_io.read8(kStatusPort) == kStatusAbsent) return Error::Ps2NoController;

    // Silence both ports (the command for the second is ignored where there is
    // none) so no device writes into the replies we are about to read.
    if (!write_command(kDisablePort1) || !write_command(kDisablePort2)) return Error::Ps2ControllerTimeout;
    if (!flush_output()) return Error::Ps2ControllerStuck;

    const lib::Optional<uint8_t> configuration = command_with_reply(kReadConfiguration);
    if (!configuration) return Error::Ps2ControllerTimeout;
    m_configuration = (*configuration & ~(kConfigPort1Interrupt | kConfigPort2Interrupt)) | kConfigTranslation;
    if (!write_configuration()) return Error::Ps2ControllerTimeout;

    TRY(test_controller());

    if (!write_command(kEnablePort1)) return Error::Ps2ControllerTimeout;
    m_configuration &= ~kConfigPort1ClockOff;  // what the controller did on enabling it
    return {};
}

ErrorOr<void> Ps2Controller::test_controller() {
    const lib::Optional<uint8_t> self_test = command_with_reply(kSelfTest);
    if (!self_test) return Error::Ps2ControllerTimeout;
    if (*self_test != kSelfTestPassed) return Error::Ps2SelfTestFailed;
    // Some controllers come out of their self-test with the power-on
    // configuration: put ours back.
    if (!write_configuration()) return Error::Ps2ControllerTimeout;

    const lib::Optional<uint8_t> port_test = command_with_reply(kTestPort1);
    if (!port_test) return Error::Ps2ControllerTimeout;
    if (*port_test != kPortTestPassed) return Error::Ps2PortTestFailed;
    return {};
}

// The keyboard acknowledges the reset, runs its self-test and reports it.
ErrorOr<void> Ps2Controller::reset_keyboard() {
    TRY(send_to_keyboard(kKeyboardReset));
    for (uint32_t received = 0; received <= kMaxStrayBytes; ++received) {
        const lib::Optional<uint8_t> reply = read_data(m_timeouts.keyboard_self_test_us);
        if (!reply) return Error::Ps2KeyboardSelfTestFailed;
        if (*reply == kKeyboardSelfTestPassed) return {};
        if (*reply == kKeyboardSelfTestFailed1 || *reply == kKeyboardSelfTestFailed2)
            return Error::Ps2KeyboardSelfTestFailed;
    }
    return Error::Ps2KeyboardSelfTestFailed;
}

// Sends a one-byte command and waits for its acknowledgement, sending again
// when the keyboard asks, a bounded number of times.
ErrorOr<void> Ps2Controller::send_to_keyboard(uint8_t command) {
    for (uint32_t attempt = 0; attempt < kMaxAttempts; ++attempt) {
        if (!write_data(command)) return Error::Ps2ControllerTimeout;
        bool resend = false;
        for (uint32_t received = 0; received <= kMaxStrayBytes && !resend; ++received) {
            const lib::Optional<uint8_t> reply = read_data(m_timeouts.response_us);
            if (!reply) return Error::Ps2NoKeyboard;
            if (*reply == kKeyboardAck) return {};
            resend = *reply == kKeyboardResend;
        }
        if (!resend) return Error::Ps2NoKeyboard;  // only noise came back
    }
    return Error::Ps2KeyboardRejected;
}

bool Ps2Controller::wait_for_status(uint8_t mask, uint8_t wanted, uint32_t timeout_us) {
    const uint32_t interval = m_timeouts.poll_interval_us > 0 ? m_timeouts.poll_interval_us : 1;
    for (uint32_t waited = 0;; waited += interval) {
        if ((m_io.read8(kStatusPort) & mask) == wanted) return true;
        if (waited >= timeout_us) return false;
        m_delay.wait_microseconds(interval);
    }
}

bool Ps2Controller::write_command(uint8_t command) {
    if (!wait_for_status(kStatusInputFull, 0, m_timeouts.response_us)) return false;
    m_io.write8(kCommandPort, command);
    return true;
}

bool Ps2Controller::write_data(uint8_t value) {
    if (!wait_for_status(kStatusInputFull, 0, m_timeouts.response_us)) return false;
    m_io.write8(kDataPort, value);
    return true;
}

lib::Optional<uint8_t> Ps2Controller::read_data(uint32_t timeout_us) {
    if (!wait_for_status(kStatusOutputFull, kStatusOutputFull, timeout_us)) return {};
    return m_io.read8(kDataPort);
}

lib::Optional<uint8_t> Ps2Controller::command_with_reply(uint8_t command) {
    if (!write_command(command)) return {};
    return read_data(m_timeouts.response_us);
}

bool Ps2Controller::write_configuration() {
    return write_command(kWriteConfiguration) && write_data(m_configuration);
}

bool Ps2Controller::flush_output() {
    for (uint32_t i = 0; i < kMaxFlushBytes; ++i) {
        if ((m_io.read8(kStatusPort) & kStatusOutputFull) == 0) return true;
        (void)m_io.read8(kDataPort);
    }
    return (m_io.read8(kStatusPort) & kStatusOutputFull) == 0;
}

}  // namespace kernel::drivers
