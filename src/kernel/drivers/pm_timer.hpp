// The ACPI power-management timer: a 3.579545 MHz counter at an I/O port the
// FADT names, 24 or 32 bits wide; every ACPI PC has one, legacy-free or not.
#pragma once

#include <stdint.h>

#include "acpi/fadt.hpp"
#include "drivers/reference_clock.hpp"
#include "lib/counter_extender.hpp"
#include "lib/error.hpp"

namespace kernel::drivers {

class PmTimerClock final : public ReferenceClock {
public:
    static constexpr uint64_t kFrequencyHz = 3'579'545;

    // Fails when the FADT names no timer (PmTimerAbsent), or its port does
    // not count (PmTimerNotCounting).
    [[nodiscard]] ErrorOr<void> init(const acpi::PmTimer& timer);

    [[nodiscard]] uint64_t now() override;
    [[nodiscard]] uint64_t frequency_hz() const override { return kFrequencyHz; }
    [[nodiscard]] const char* name() const override { return "ACPI PM timer"; }

private:
    uint16_t m_port = 0;
    lib::CounterExtender m_counter{24};
};

}  // namespace kernel::drivers
