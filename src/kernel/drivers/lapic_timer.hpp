// The local APIC timer: calibrated against a reference clock (with the TSC
// measured in the same window), then ticking periodically for the uptime.
#pragma once

#include <stdint.h>

#include "drivers/reference_clock.hpp"
#include "lib/error.hpp"
#include "lib/port_io.hpp"

namespace kernel::drivers {

struct TimerCalibration {
    uint64_t lapic_hz = 0;  // after the timer's divide-by-16
    uint64_t tsc_hz = 0;
    const char* reference = nullptr;
};

// Counts the APIC timer and the TSC while `reference` advances window_us.
// TimerNotCalibrated when the reference or the APIC timer does not move as
// it must.
[[nodiscard]] ErrorOr<TimerCalibration> calibrate_lapic_timer(ReferenceClock& reference, uint32_t window_us);

// Starts the periodic tick at hz (from the calibration) on the timer vector;
// TimerNotStarted when the rate or the vector does not allow it.
[[nodiscard]] ErrorOr<void> start_lapic_tick(const TimerCalibration& calibration, uint32_t hz);

[[nodiscard]] uint64_t ticks();
[[nodiscard]] uint32_t tick_hz();
[[nodiscard]] uint64_t uptime_ms();
[[nodiscard]] const TimerCalibration& timer_calibration();

// Waits on the calibrated TSC: the Delay drivers poll devices with.
class TscDelay final : public lib::Delay {
public:
    void wait_microseconds(uint32_t microseconds) override;
};

// Before any calibration: writes to port 0x80 (the POST code port), about a
// microsecond each on a PC, and harmless on machines without it.
class PortDelay final : public lib::Delay {
public:
    void wait_microseconds(uint32_t microseconds) override;
};

}  // namespace kernel::drivers
