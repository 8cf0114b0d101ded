// Host tests for the 8042 bring-up against fake controllers (fake_8042.hpp):
// a healthy one, an absent one, and ones that fail each step; every wait must
// end, and soon.
#include "drivers/ps2_controller.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "error_test_support.hpp"
#include "fake_8042.hpp"

using namespace kernel::drivers;
using kernel::Error;
using kernel::error_of;
using kernel::ErrorOr;

namespace {

using namespace fake_8042;

const Ps2Timeouts kTimeouts;  // the kernel's defaults
// Time the steps before a failing one spend waiting for the fake to take
// their bytes: a failure costs one timeout plus this, never several timeouts.
constexpr uint64_t kEarlierStepsUs = 2'000;

// Status reads that one wait of `timeout_us` makes.
uint64_t polls_within(uint64_t timeout_us) {
    return timeout_us / kTimeouts.poll_interval_us + 1;
}

std::optional<Error> init(Fake8042& fake) {
    Ps2Controller controller(fake, fake);
    return error_of(controller.init_keyboard());
}

}  // namespace

TEST(Ps2Controller, HealthyControllerAndKeyboard) {
    Fake8042 fake;
    Ps2Controller controller(fake, fake);
    ASSERT_EQ(error_of(controller.init_keyboard()), std::nullopt);
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
    uint8_t left[1];
    EXPECT_EQ(controller.read_pending(left), 0u) << "nothing left behind";
}

TEST(Ps2Controller, BytesLeftByTheFirmwareAreFlushed) {
    Behaviour behaviour;
    behaviour.waiting_at_start = {0x1E, 0x9E, 0xFA};
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), std::nullopt);
    EXPECT_TRUE(fake.violations.empty()) << fake.violations.front();
}

TEST(Ps2Controller, ASlowControllerIsWaitedFor) {
    Behaviour behaviour;
    behaviour.busy_reads_after_write = 500;
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), std::nullopt);
    EXPECT_TRUE(fake.violations.empty()) << fake.violations.front();
}

TEST(Ps2Controller, AbsentControllerIsReportedAfterOneRead) {
    AbsentController absent;
    Ps2Controller controller(absent, absent);
    const ErrorOr<void> result = controller.init_keyboard();
    EXPECT_EQ(error_of(result), Error::Ps2NoController);
    EXPECT_STREQ(to_string(result.error()), "no PS/2 controller");
    EXPECT_EQ(absent.reads, 1u);
    EXPECT_EQ(absent.writes, 0u);
    EXPECT_EQ(absent.now_us, 0u);
}

TEST(Ps2Controller, FailedControllerSelfTest) {
    Behaviour behaviour;
    behaviour.self_test_reply = 0xFC;
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), Error::Ps2SelfTestFailed);
    EXPECT_TRUE(fake.keyboard_bytes.empty());
}

TEST(Ps2Controller, FailedPortTest) {
    Behaviour behaviour;
    behaviour.port_test_reply = 0x01;  // clock line stuck low
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), Error::Ps2PortTestFailed);
    EXPECT_TRUE(fake.keyboard_bytes.empty());
}

TEST(Ps2Controller, NoKeyboardTimesOutWithinOneResponseWait) {
    Behaviour behaviour;
    behaviour.keyboard_attached = false;
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), Error::Ps2NoKeyboard);
    EXPECT_STREQ(to_string(Error::Ps2NoKeyboard), "no keyboard answered");
    EXPECT_LE(fake.now_us, kTimeouts.response_us + kEarlierStepsUs);
    EXPECT_LE(fake.reads, polls_within(kTimeouts.response_us) + 100);
    EXPECT_EQ(fake.configuration & 0x03, 0) << "no interrupts enabled for a missing keyboard";
}

TEST(Ps2Controller, KeyboardAskingForOneResendIsAnsweredAgain) {
    Behaviour behaviour;
    behaviour.keyboard_resends = 1;
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), std::nullopt);
    EXPECT_EQ(fake.keyboard_bytes, (std::vector<uint8_t>{0xFF, 0xFF, 0xF4}));
    EXPECT_EQ(fake.keyboard_resets, 1);
    EXPECT_TRUE(fake.scanning);
}

TEST(Ps2Controller, EndlessResendsAreBounded) {
    Behaviour behaviour;
    behaviour.keyboard_resends = 1'000'000;
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), Error::Ps2KeyboardRejected);
    EXPECT_EQ(fake.keyboard_bytes.size(), 3u);
}

TEST(Ps2Controller, KeyboardNoiseBeforeTheAckIsSkipped) {
    Behaviour behaviour;
    behaviour.keyboard_noise_before_first_ack = {0x1E, 0x9E};
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), std::nullopt);
    EXPECT_EQ(fake.keyboard_resets, 1);
}

TEST(Ps2Controller, FailedKeyboardSelfTest) {
    Behaviour behaviour;
    behaviour.keyboard_self_test_reply = 0xFC;
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), Error::Ps2KeyboardSelfTestFailed);
    EXPECT_FALSE(fake.scanning);
}

TEST(Ps2Controller, KeyboardSelfTestThatNeverEndsIsBounded) {
    Behaviour behaviour;
    behaviour.keyboard_self_test_finishes = false;
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), Error::Ps2KeyboardSelfTestFailed);
    EXPECT_LE(fake.now_us, kTimeouts.keyboard_self_test_us + kEarlierStepsUs);
}

TEST(Ps2Controller, SlowButFinishingKeyboardSelfTestIsWaitedFor) {
    Behaviour behaviour;
    behaviour.keyboard_self_test_us = 1'500'000;
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), std::nullopt);
}

TEST(Ps2Controller, OutputThatNeverEmptiesIsBounded) {
    Behaviour behaviour;
    behaviour.output_stuck_full = true;
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), Error::Ps2ControllerStuck);
    EXPECT_LE(fake.reads, 64u);
}

TEST(Ps2Controller, SilentControllerTimesOut) {
    Behaviour behaviour;
    behaviour.answers_commands = false;
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), Error::Ps2ControllerTimeout);
    EXPECT_LE(fake.now_us, kTimeouts.response_us + kEarlierStepsUs);
}

TEST(Ps2Controller, InputThatNeverEmptiesTimesOut) {
    Behaviour behaviour;
    behaviour.input_stuck_full = true;
    Fake8042 fake(behaviour);
    EXPECT_EQ(init(fake), Error::Ps2ControllerTimeout);
    EXPECT_LE(fake.now_us, kTimeouts.response_us);
    EXPECT_EQ(fake.writes, 0u);
}

TEST(Ps2Controller, ShorterTimeoutsAreHonoured) {
    Behaviour behaviour;
    behaviour.keyboard_attached = false;
    Fake8042 fake(behaviour);
    Ps2Controller controller(fake, fake, Ps2Timeouts{.poll_interval_us = 100, .response_us = 5'000});
    EXPECT_EQ(error_of(controller.init_keyboard()), Error::Ps2NoKeyboard);
    EXPECT_LE(fake.now_us, 5'000u + kEarlierStepsUs);
    EXPECT_LE(fake.reads, 5'000u / 100 + 100);
}

TEST(Ps2Controller, ReadPendingReadsStatusPerByteAndDataOnlyWhenFull) {
    Fake8042 fake;
    Ps2Controller controller(fake, fake);
    ASSERT_EQ(error_of(controller.init_keyboard()), std::nullopt);

    uint8_t bytes[4] = {};
    const uint64_t before = fake.reads;
    EXPECT_EQ(controller.read_pending(bytes), 0u);
    EXPECT_EQ(fake.reads, before + 1);
    fake.key(0x1E);
    fake.key(0x9E);
    ASSERT_EQ(controller.read_pending(bytes), 2u);
    EXPECT_EQ(bytes[0], 0x1E);
    EXPECT_EQ(bytes[1], 0x9E);
    EXPECT_EQ(fake.reads, before + 1 + 5) << "two bytes: two status and data reads, then one empty status";
    EXPECT_TRUE(fake.violations.empty()) << fake.violations.front();
}

TEST(Ps2Controller, ReadPendingEndsWhenOutputNeverEmpties) {
    Fake8042 fake;
    Ps2Controller controller(fake, fake);
    ASSERT_EQ(error_of(controller.init_keyboard()), std::nullopt);
    fake.stick_output_full();

    uint8_t bytes[16] = {};
    const uint64_t before = fake.reads;
    EXPECT_EQ(controller.read_pending(bytes), 16u);
    EXPECT_EQ(fake.reads, before + 32) << "one status and one data read per byte, no more";
}

TEST(Ps2Controller, EveryErrorHasItsOwnText) {
    std::set<std::string> texts;
    for (const std::string& text : kernel::error_texts("Ps2")) {
        EXPECT_FALSE(text.empty());
        EXPECT_TRUE(texts.insert(text).second) << text;
    }
}
