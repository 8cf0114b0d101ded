// The kernel's tick, whichever timer raises it (the local APIC timer, else
// the PIT): counted here for the uptime and passed on to the scheduler, with
// the TSC rate measured when the timer was calibrated.
#pragma once

#include <stdint.h>

#include "lib/port_io.hpp"

namespace kernel::drivers {

struct TimerCalibration {
    uint64_t lapic_hz = 0;  // after the timer's divide-by-16; 0 when the PIT ticks
    uint64_t tsc_hz = 0;
    const char* reference = nullptr;  // the clock both were measured against
};

// The tick runs from now on at hz: keeps the calibration (TscDelay reads its
// TSC rate) and starts the scheduler's clock. Before the first tick.
void start_ticks(const TimerCalibration& calibration, uint32_t hz);
// From the timer's interrupt handler: count periods have passed since the
// last call (0 for an early interrupt, more after missed ones).
void count_ticks(uint64_t count);

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
