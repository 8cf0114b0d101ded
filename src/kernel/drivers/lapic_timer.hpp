// The local APIC timer: calibrated against a reference clock (with the TSC
// measured in the same window), then ticking periodically for the uptime.
#pragma once

#include <stdint.h>

#include "drivers/reference_clock.hpp"
#include "drivers/tick.hpp"
#include "lib/error.hpp"

namespace kernel::drivers {

// Counts the APIC timer and the TSC while `reference` advances window_us.
// TimerNotCalibrated when the reference or the APIC timer does not move as
// it must.
[[nodiscard]] ErrorOr<TimerCalibration> calibrate_lapic_timer(ReferenceClock& reference, uint32_t window_us);

// Starts the periodic tick at hz (from the calibration) on the timer vector;
// TimerNotStarted when the rate or the vector does not allow it.
[[nodiscard]] ErrorOr<void> start_lapic_tick(const TimerCalibration& calibration, uint32_t hz);

}  // namespace kernel::drivers
