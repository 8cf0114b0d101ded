// The High Precision Event Timer, used as a free-running reference clock: its
// capability register states its period in femtoseconds.
#pragma once

#include <stdint.h>

#include "acpi/hpet.hpp"
#include "drivers/reference_clock.hpp"
#include "lib/counter_extender.hpp"
#include "lib/error.hpp"

namespace kernel::drivers {

class HpetClock final : public ReferenceClock {
public:
    // Maps the HPET the ACPI table names and starts its main counter. Fails
    // (and stays unusable) when it cannot be mapped (HpetUnmappable) or
    // states a period outside what the specification allows (HpetBadPeriod).
    [[nodiscard]] ErrorOr<void> init(const acpi::Hpet& table);

    [[nodiscard]] uint64_t now() override;
    [[nodiscard]] uint64_t frequency_hz() const override { return m_frequency_hz; }
    [[nodiscard]] const char* name() const override { return "HPET"; }

private:
    uint8_t* m_registers = nullptr;
    uint64_t m_frequency_hz = 0;
    lib::CounterExtender m_counter{32};  // read 32 bits: fine on 32-bit HPETs too
};

}  // namespace kernel::drivers
