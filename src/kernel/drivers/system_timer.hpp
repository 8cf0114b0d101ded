// The kernel's clock: the local APIC timer, calibrated against the best
// reference this machine really has (HPET, else the ACPI PM timer, else the
// PIT), ticking periodically from then on. Without a local APIC, the PIT
// ticks, with the TSC measured against that same reference.
#pragma once

#include <stdint.h>

#include "acpi/acpi.hpp"
#include "drivers/lapic_timer.hpp"
#include "lib/error.hpp"

namespace kernel::drivers {

inline constexpr uint32_t kTickHz = 100;

// Starts the tick, or says why it does not run (TimerNoReferenceClock,
// TimerNotCalibrated, TimerNotStarted; without a local APIC TscNotMeasured,
// or start_pit_tick()'s errors). acpi may be null.
[[nodiscard]] ErrorOr<void> init_system_timer(const acpi::Summary* acpi);

// The clock the tick was calibrated against (it keeps counting), so the tick
// can be checked against it; null until init_system_timer() succeeds, and
// when the PIT was that clock and now ticks.
[[nodiscard]] ReferenceClock* reference_clock();

// The Delay device drivers wait with: the calibrated TSC once the timer
// runs, port 0x80 writes before.
[[nodiscard]] lib::Delay& system_delay();

}  // namespace kernel::drivers
