// The 8254 PIT's channel 0 as a free-running reference clock (1.193182 MHz):
// the last resort of old PCs that have neither HPET nor an ACPI PM timer;
// and as the tick on PCs without a local APIC timer.
#pragma once

#include <stdint.h>

#include "drivers/reference_clock.hpp"
#include "drivers/tick.hpp"
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
    lib::CounterExtender m_counter{16};
};

// Channel 0 as the tick: periodic at hz on ISA IRQ 0, through whichever
// controller routes ISA IRQs (interrupt_routing.hpp), its handler counting
// the periods the TSC (calibration.tsc_hz) says have passed. Channel 0 is no
// reference clock from then on. PitNotCounting when no PIT counts,
// PitTickNotStarted for a rate the PIT cannot make or a vector taken, the
// routing's error when IRQ 0 cannot be delivered.
[[nodiscard]] ErrorOr<void> start_pit_tick(const TimerCalibration& calibration, uint32_t hz);

}  // namespace kernel::drivers
