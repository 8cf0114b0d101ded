// The 8254 PIT's channel 0 as a free-running reference clock (1.193182 MHz):
// the last resort of old PCs that have neither HPET nor an ACPI PM timer.
#pragma once

#include <stdint.h>

#include "drivers/reference_clock.hpp"
#include "lib/counter_extender.hpp"
#include "lib/error.hpp"

namespace kernel::drivers {

class PitClock final : public ReferenceClock {
public:
    static constexpr uint64_t kFrequencyHz = 1'193'182;

    // Programs channel 0 to count down over its whole 16-bit range;
    // PitNotCounting when the counter does not move (no PIT: its ports read
    // 0xFF).
    [[nodiscard]] ErrorOr<void> init();

    // Read at least every 54 ms, or a wrap goes unseen.
    [[nodiscard]] uint64_t now() override;
    [[nodiscard]] uint64_t frequency_hz() const override { return kFrequencyHz; }
    [[nodiscard]] const char* name() const override { return "PIT"; }

private:
    [[nodiscard]] uint16_t read_count();

    lib::CounterExtender m_counter{16};
};

}  // namespace kernel::drivers
