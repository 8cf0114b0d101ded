// The scheduler: which Ready thread runs next on this CPU, and the switch to
// it. Round robin: the run queue is first come, first served, and the timer
// tick takes the CPU from a thread that has run for a whole time slice.
#pragma once

#include <stdint.h>

namespace kernel::sched {

// Timer ticks a thread may run before another Ready thread gets the CPU.
inline constexpr uint32_t kTimeSliceTicks = 2;

// Makes the running boot flow thread 0 ("boot") on this CPU, creates the
// idle thread, and hooks the scheduler into the way out of every interrupt.
// After mm is up, before interrupts are turned on.
void init_scheduler();

// The timer ticks from now on, and the TSC runs at tsc_hz: time slices and
// sleep_ms() work from here (drivers/lapic_timer.cpp calls it).
void start_clock(uint64_t tsc_hz);

// Called by the timer's interrupt handler on every tick: wakes the sleepers
// that are due and ends the running thread's time slice when it is used up.
void timer_tick();

// Switches counted since boot (for the benchmark and tests).
[[nodiscard]] uint64_t context_switches();

}  // namespace kernel::sched
