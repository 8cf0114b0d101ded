// Widens a hardware counter that wraps (the PIT's 16 bits, the ACPI PM
// timer's 24 or 32, a 32-bit HPET) into a 64-bit count that never does, as
// long as it is read at least once per wrap. Pure, so it is host-tested.
#pragma once

#include <stdint.h>

namespace kernel::lib {

class CounterExtender {
public:
    // bits: the counter's width, 1 to 64.
    constexpr explicit CounterExtender(unsigned bits) : m_mask(bits >= 64 ? ~uint64_t(0) : (uint64_t(1) << bits) - 1) {}

    // raw: the counter as read now (counting up). Returns the 64-bit count
    // since the first reading, which counts as 0.
    constexpr uint64_t update(uint64_t raw) {
        raw &= m_mask;
        if (m_started) m_total += (raw - m_last) & m_mask;
        m_started = true;
        m_last = raw;
        return m_total;
    }

private:
    uint64_t m_mask;
    uint64_t m_last = 0;
    uint64_t m_total = 0;
    bool m_started = false;
};

// How many `rate_hz` ticks happened while a reference running at
// reference_hz advanced reference_ticks by `ticks`: ticks * reference_hz /
// reference_ticks, without overflow for ticks and rates below 2^32. 0 when
// the reference did not move.
[[nodiscard]] constexpr uint64_t scale_rate(uint64_t ticks, uint64_t reference_hz, uint64_t reference_ticks) {
    if (reference_ticks == 0) return 0;
    const uint64_t whole = ticks / reference_ticks * reference_hz;
    const uint64_t rest = ticks % reference_ticks * reference_hz / reference_ticks;
    return whole + rest;
}

}  // namespace kernel::lib
