// ACPI PM timer reads, widened to 64 bits.
#include "drivers/pm_timer.hpp"

#include "arch/x86_64/io.hpp"

namespace kernel::drivers {

ErrorOr<void> PmTimerClock::init(const acpi::PmTimer& timer) {
    if (!timer.present || timer.port == 0) return Error::PmTimerAbsent;
    m_port = timer.port;
    m_counter = lib::CounterExtender(timer.counts_32_bits ? 32 : 24);
    // A port nobody answers reads all ones and never moves: it must count
    // within a thousand reads (at 3.58 MHz, a tick is a fraction of one).
    const uint32_t first = arch::in32(m_port);
    for (int i = 0; i < 1000; ++i)
        if (arch::in32(m_port) != first) {
            (void)now();
            return {};
        }
    m_port = 0;
    return Error::PmTimerNotCounting;
}

uint64_t PmTimerClock::now() {
    return m_counter.update(arch::in32(m_port));
}

}  // namespace kernel::drivers
