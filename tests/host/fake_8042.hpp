// Fake 8042 controllers for the PS/2 bring-up tests: a small state machine
// that answers commands as a healthy controller and keyboard do, with knobs
// to make each step fail, and an absent controller whose ports read 0xFF.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "lib/port_io.hpp"

namespace fake_8042 {

constexpr uint16_t kData = 0x60;
constexpr uint16_t kStatusOrCommand = 0x64;
constexpr uint8_t kOutputFull = 0x01;
constexpr uint8_t kInputFull = 0x02;
constexpr uint8_t kSystemFlag = 0x04;
// As firmware might leave it: both IRQs on, translation off, both clocks on.
constexpr uint8_t kPowerOnConfiguration = 0x07;

struct Behaviour {
    uint8_t self_test_reply = 0x55;
    uint8_t port_test_reply = 0x00;
    bool answers_commands = true;
    bool output_stuck_full = false;
    bool input_stuck_full = false;
    uint32_t busy_reads_after_write = 2;  // status reads that still show our byte untaken
    std::vector<uint8_t> waiting_at_start;

    bool keyboard_attached = true;
    uint32_t keyboard_resends = 0;  // the keyboard answers this many bytes with 0xFE first
    std::vector<uint8_t> keyboard_noise_before_first_ack;
    bool keyboard_self_test_finishes = true;
    uint8_t keyboard_self_test_reply = 0xAA;
    uint64_t keyboard_self_test_us = 300'000;
};

class Fake8042 final : public kernel::lib::PortIo, public kernel::lib::Delay {
public:
    explicit Fake8042(Behaviour behaviour = {}) : m_behaviour(std::move(behaviour)) {
        for (uint8_t byte : m_behaviour.waiting_at_start) m_output.push_back({byte, 0});
    }

    uint8_t read8(uint16_t port) override {
        ++reads;
        if (port == kStatusOrCommand) return status();
        if (port != kData) violations.push_back("read of port " + std::to_string(port));
        if (m_behaviour.output_stuck_full) return 0x00;
        if (!output_ready()) {
            violations.push_back("data read with nothing waiting");
            return 0x00;
        }
        const uint8_t byte = m_output.front().byte;
        m_output.pop_front();
        return byte;
    }

    void write8(uint16_t port, uint8_t value) override {
        ++writes;
        if (m_busy_reads > 0 || m_behaviour.input_stuck_full) violations.push_back("write while input buffer full");
        m_busy_reads = m_behaviour.busy_reads_after_write;
        if (port == kStatusOrCommand)
            controller_command(value);
        else if (port == kData)
            data_byte(value);
        else
            violations.push_back("write to port " + std::to_string(port));
    }

    void wait_microseconds(uint32_t microseconds) override { now_us += microseconds; }

    // A key arriving from the keyboard after bring-up.
    void key(uint8_t code) { m_output.push_back({code, now_us}); }

    // A controller that breaks after bring-up: its output-full bit never clears.
    void stick_output_full() { m_behaviour.output_stuck_full = true; }

    uint8_t configuration = kPowerOnConfiguration;
    bool port1_enabled = true;
    bool port2_enabled = true;
    bool scanning = false;
    int keyboard_resets = 0;
    uint8_t configuration_at_keyboard_reset = 0;
    std::vector<uint8_t> keyboard_bytes;
    std::vector<std::string> violations;
    uint64_t reads = 0;
    uint64_t writes = 0;
    uint64_t now_us = 0;

private:
    struct Pending {
        uint8_t byte;
        uint64_t ready_at_us;
    };

    bool output_ready() const { return !m_output.empty() && m_output.front().ready_at_us <= now_us; }

    uint8_t status() {
        uint8_t status = kSystemFlag;
        if (output_ready() || m_behaviour.output_stuck_full) status |= kOutputFull;
        if (m_busy_reads > 0 || m_behaviour.input_stuck_full) status |= kInputFull;
        if (m_busy_reads > 0) --m_busy_reads;
        return status;
    }

    void reply(uint8_t byte, uint64_t delay_us = 0) { m_output.push_back({byte, now_us + delay_us}); }

    void controller_command(uint8_t command) {
        if (!m_behaviour.answers_commands) return;
        switch (command) {
        case 0x20: reply(configuration); break;
        case 0x60: m_expect_configuration = true; break;
        case 0xA7:
            port2_enabled = false;
            configuration |= 0x20;
            break;
        case 0xA8: violations.push_back("second port enabled"); break;
        case 0xAA:
            reply(m_behaviour.self_test_reply);
            configuration = kPowerOnConfiguration;  // like controllers that reset on self-test
            break;
        case 0xAB: reply(m_behaviour.port_test_reply); break;
        case 0xAD:
            port1_enabled = false;
            configuration |= 0x10;
            break;
        case 0xAE:
            port1_enabled = true;
            configuration &= ~0x10;
            break;
        default: violations.push_back("unexpected controller command " + std::to_string(command));
        }
    }

    void data_byte(uint8_t value) {
        if (m_expect_configuration) {
            m_expect_configuration = false;
            configuration = value;
            return;
        }
        keyboard_bytes.push_back(value);
        if (!port1_enabled) violations.push_back("keyboard written while its port is disabled");
        if (!m_behaviour.keyboard_attached) return;
        if (m_behaviour.keyboard_resends > 0) {
            --m_behaviour.keyboard_resends;
            reply(0xFE);
            return;
        }
        for (uint8_t noise : m_behaviour.keyboard_noise_before_first_ack) reply(noise);
        m_behaviour.keyboard_noise_before_first_ack.clear();
        reply(0xFA);
        if (value == 0xFF) {
            ++keyboard_resets;
            configuration_at_keyboard_reset = configuration;
            scanning = false;
            if (m_behaviour.keyboard_self_test_finishes)
                reply(m_behaviour.keyboard_self_test_reply, m_behaviour.keyboard_self_test_us);
        } else if (value == 0xF4) {
            scanning = true;
        }
    }

    Behaviour m_behaviour;
    std::deque<Pending> m_output;
    uint32_t m_busy_reads = 0;
    bool m_expect_configuration = false;
};

// No controller: nothing drives the bus, every read gives 0xFF.
class AbsentController final : public kernel::lib::PortIo, public kernel::lib::Delay {
public:
    uint8_t read8(uint16_t) override {
        ++reads;
        return 0xFF;
    }
    void write8(uint16_t, uint8_t) override { ++writes; }
    void wait_microseconds(uint32_t microseconds) override { now_us += microseconds; }

    uint64_t reads = 0;
    uint64_t writes = 0;
    uint64_t now_us = 0;
};

}  // namespace fake_8042
