// A clock whose rate the hardware states (HPET, ACPI PM timer, PIT): what
// the local APIC timer and the TSC, whose rates nobody states, are measured
// against.
#pragma once

#include <stdint.h>

namespace kernel::drivers {

class ReferenceClock {
public:
    // Ticks since the clock was set up; counters narrower than 64 bits are
    // widened in software, so callers poll at least once per wrap (55 ms for
    // the PIT, seconds for the others).
    [[nodiscard]] virtual uint64_t now() = 0;
    [[nodiscard]] virtual uint64_t frequency_hz() const = 0;
    [[nodiscard]] virtual const char* name() const = 0;

protected:
    ~ReferenceClock() = default;
};

}  // namespace kernel::drivers
