// PIT channel 0 in rate-generator mode, read through its latch command.
#include "drivers/pit.hpp"

#include "arch/x86_64/io.hpp"

namespace kernel::drivers {

namespace {

constexpr uint16_t kChannel0 = 0x40;
constexpr uint16_t kModeCommand = 0x43;
// Channel 0, low then high byte, mode 2 (rate generator), binary.
constexpr uint8_t kChannel0RateGenerator = 0b00'11'010'0;
constexpr uint8_t kChannel0Latch = 0b00'00'000'0;

}  // namespace

ErrorOr<void> PitClock::init() {
    arch::out8(kModeCommand, kChannel0RateGenerator);
    arch::out8(kChannel0, 0);  // a reload value of 0 means 65536
    arch::out8(kChannel0, 0);
    const uint16_t first = read_count();
    for (int i = 0; i < 1000; ++i)
        if (read_count() != first) {
            (void)now();
            return {};
        }
    return Error::PitNotCounting;
}

uint16_t PitClock::read_count() {
    arch::out8(kModeCommand, kChannel0Latch);
    const uint8_t low = arch::in8(kChannel0);
    const uint8_t high = arch::in8(kChannel0);
    return static_cast<uint16_t>(low | high << 8);
}

uint64_t PitClock::now() {
    // The counter runs down; its complement runs up.
    return m_counter.update(static_cast<uint16_t>(~read_count()));
}

}  // namespace kernel::drivers
