// Host tests for the 8042 bring-up against fake controllers: a healthy one
// (a small state machine answering commands), an absent one (every port reads
// 0xFF), and ones that fail each step; every wait must end, and soon.
#include "drivers/ps2_controller.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <set>
#include <string>
#include <vector>

using namespace kernel::drivers;
using kernel::lib::Delay;
using kernel::lib::Optional;
using kernel::lib::PortIo;

namespace {

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

class Fake8042 final : public PortIo, public Delay {
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
class AbsentController final : public PortIo, public Delay {
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

const Ps2Timeouts kTimeouts;  // the kernel's defaults
// Time the steps before a failing one spend waiting for the fake to take
// their bytes: a failure costs one timeout plus this, never several timeouts.
constexpr uint64_t kEarlierStepsUs = 2'000;

// Polls that fit in one wait of `timeout_us`, plus the few reads around them.
uint64_t polls_within(uint64_t timeout_us) {
    return timeout_us / kTimeouts.poll_interval_us + 1;
}

Ps2Error init(Fake8042& fake) {
    Ps2Controller controller(fake, fake);
    return controller.init_keyboard();
}

}  // namespace

TEST(Ps2Controller, HealthyControllerAndKeyboard) {
    Fake8042 fake;
    Ps2Controller controller(fake, fake);
    ASSERT_EQ(controller.init_keyboard(), Ps2Error::None);
    EXPECT_TRUE(fake.violations.empty()) << fake.violations.front();

    // IRQ 1 on, IRQ 12 off, translation on, first port's clock on, second's off.
    EXPECT_EQ(fake.configuration, 0x65);
    EXPECT_EQ(fake.configuration_at_keyboard_reset & 0x03, 0) << "no interrupts while the keyboard resets";
    EXPECT_EQ(fake.configuration_at_keyboard_reset & 0x40, 0x40) << "configuration restored after self-test";
    EXPECT_TRUE(fake.port1_enabled);
    EXPECT_FALSE(fake.port2_enabled);
    EXPECT_EQ(fake.keyboard_resets, 1);
    EXPECT_TRUE(fake.scanning);
    EXPECT_EQ(fake.keyboard_bytes, (std::vector<uint8_t>{0xFF, 0xF4}));
    EXPECT_GE(fake.now_us, 300'000u) << "waited for the keyboard's self-test";
    EXPECT_LT(fake.now_us, 300'000u + 1'000u);
    EXPECT_FALSE(controller.read_pending_byte()) << "nothing left behind";
}

TEST(Ps2Controller, BytesLeftByTheFirmwareAreFlushed) {
    Behaviour behaviour;
    behaviour.waiting_at_start = {0x1E, 0x9E, 0xFA};
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), Ps2Error::None);
    EXPECT_TRUE(fake.violations.empty()) << fake.violations.front();
}

TEST(Ps2Controller, ASlowControllerIsWaitedFor) {
    Behaviour behaviour;
    behaviour.busy_reads_after_write = 500;
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), Ps2Error::None);
    EXPECT_TRUE(fake.violations.empty()) << fake.violations.front();
}

TEST(Ps2Controller, AbsentControllerIsReportedAfterOneRead) {
    AbsentController absent;
    Ps2Controller controller(absent, absent);
    const Ps2Error error = controller.init_keyboard();
    EXPECT_EQ(error, Ps2Error::NoController);
    EXPECT_STREQ(to_string(error), "no PS/2 controller");
    EXPECT_EQ(absent.reads, 1u);
    EXPECT_EQ(absent.writes, 0u);
    EXPECT_EQ(absent.now_us, 0u);
}

TEST(Ps2Controller, FailedControllerSelfTest) {
    Behaviour behaviour;
    behaviour.self_test_reply = 0xFC;
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), Ps2Error::SelfTestFailed);
    EXPECT_TRUE(fake.keyboard_bytes.empty());
}

TEST(Ps2Controller, FailedPortTest) {
    Behaviour behaviour;
    behaviour.port_test_reply = 0x01;  // clock line stuck low
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), Ps2Error::PortTestFailed);
    EXPECT_TRUE(fake.keyboard_bytes.empty());
}

TEST(Ps2Controller, NoKeyboardTimesOutWithinOneResponseWait) {
    Behaviour behaviour;
    behaviour.keyboard_attached = false;
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), Ps2Error::NoKeyboard);
    EXPECT_STREQ(to_string(Ps2Error::NoKeyboard), "no keyboard answered");
    EXPECT_LE(fake.now_us, kTimeouts.response_us + kEarlierStepsUs);
    EXPECT_LE(fake.reads, polls_within(kTimeouts.response_us) + 100);
    EXPECT_EQ(fake.configuration & 0x03, 0) << "no interrupts enabled for a missing keyboard";
}

TEST(Ps2Controller, KeyboardAskingForOneResendIsAnsweredAgain) {
    Behaviour behaviour;
    behaviour.keyboard_resends = 1;
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), Ps2Error::None);
    EXPECT_EQ(fake.keyboard_bytes, (std::vector<uint8_t>{0xFF, 0xFF, 0xF4}));
    EXPECT_EQ(fake.keyboard_resets, 1);
    EXPECT_TRUE(fake.scanning);
}

TEST(Ps2Controller, EndlessResendsAreBounded) {
    Behaviour behaviour;
    behaviour.keyboard_resends = 1'000'000;
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), Ps2Error::KeyboardRejected);
    EXPECT_EQ(fake.keyboard_bytes.size(), 3u);
}

TEST(Ps2Controller, KeyboardNoiseBeforeTheAckIsSkipped) {
    Behaviour behaviour;
    behaviour.keyboard_noise_before_first_ack = {0x1E, 0x9E};
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), Ps2Error::None);
    EXPECT_EQ(fake.keyboard_resets, 1);
}

TEST(Ps2Controller, FailedKeyboardSelfTest) {
    Behaviour behaviour;
    behaviour.keyboard_self_test_reply = 0xFC;
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), Ps2Error::KeyboardSelfTestFailed);
    EXPECT_FALSE(fake.scanning);
}

TEST(Ps2Controller, KeyboardSelfTestThatNeverEndsIsBounded) {
    Behaviour behaviour;
    behaviour.keyboard_self_test_finishes = false;
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), Ps2Error::KeyboardSelfTestFailed);
    EXPECT_LE(fake.now_us, kTimeouts.keyboard_self_test_us + kEarlierStepsUs);
}

TEST(Ps2Controller, SlowButFinishingKeyboardSelfTestIsWaitedFor) {
    Behaviour behaviour;
    behaviour.keyboard_self_test_us = 1'500'000;
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), Ps2Error::None);
}

TEST(Ps2Controller, OutputThatNeverEmptiesIsBounded) {
    Behaviour behaviour;
    behaviour.output_stuck_full = true;
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), Ps2Error::ControllerStuck);
    EXPECT_LE(fake.reads, 64u);
}

TEST(Ps2Controller, SilentControllerTimesOut) {
    Behaviour behaviour;
    behaviour.answers_commands = false;
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), Ps2Error::ControllerTimeout);
    EXPECT_LE(fake.now_us, kTimeouts.response_us + kEarlierStepsUs);
}

TEST(Ps2Controller, InputThatNeverEmptiesTimesOut) {
    Behaviour behaviour;
    behaviour.input_stuck_full = true;
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), Ps2Error::ControllerTimeout);
    EXPECT_LE(fake.now_us, kTimeouts.response_us);
    EXPECT_EQ(fake.writes, 0u);
}

TEST(Ps2Controller, ShorterTimeoutsAreHonoured) {
    Behaviour behaviour;
    behaviour.keyboard_attached = false;
    Fake8042 fake(behaviour);
    Ps2Controller controller(fake, fake, Ps2Timeouts{.poll_interval_us = 100, .response_us = 5'000});
    EXPECT_EQ(controller.init_keyboard(), Ps2Error::NoKeyboard);
    EXPECT_LE(fake.now_us, 5'000u + kEarlierStepsUs);
    EXPECT_LE(fake.reads, 5'000u / 100 + 100);
}

TEST(Ps2Controller, ReadPendingByteReadsStatusOnceAndDataOnlyWhenFull) {
    Fake8042 fake;
    Ps2Controller controller(fake, fake);
    ASSERT_EQ(controller.init_keyboard(), Ps2Error::None);

    const uint64_t before = fake.reads;
    EXPECT_FALSE(controller.read_pending_byte());
    EXPECT_EQ(fake.reads, before + 1);
    fake.key(0x1E);
    const Optional<uint8_t> byte = controller.read_pending_byte();
    ASSERT_TRUE(byte);
    EXPECT_EQ(*byte, 0x1E);
    EXPECT_EQ(fake.reads, before + 3);
    EXPECT_TRUE(fake.violations.empty()) << fake.violations.front();
}

TEST(Ps2Controller, EveryErrorHasItsOwnText) {
    std::set<std::string> texts;
    for (Ps2Error error : {Ps2Error::None, Ps2Error::NoController, Ps2Error::ControllerStuck,
                           Ps2Error::ControllerTimeout, Ps2Error::SelfTestFailed, Ps2Error::PortTestFailed,
                           Ps2Error::NoKeyboard, Ps2Error::KeyboardRejected, Ps2Error::KeyboardSelfTestFailed}) {
        const std::string text = to_string(error);
        EXPECT_FALSE(text.empty());
        EXPECT_TRUE(texts.insert(text).second) << text;
    }
}
