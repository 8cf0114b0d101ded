// The tick count, the uptime and the delays on the calibrated TSC.
#include "drivers/tick.hpp"

#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/io.hpp"
#include "sched/scheduler.hpp"

namespace kernel::drivers {

namespace {

constexpr uint64_t kMicrosecondsPerSecond = 1'000'000;
constexpr uint16_t kPostCodePort = 0x80;

constinit TimerCalibration g_calibration{};
constinit uint64_t g_ticks = 0;
constinit uint32_t g_tick_hz = 0;

}  // namespace

void start_ticks(const TimerCalibration& calibration, uint32_t hz) {
    g_calibration = calibration;
    g_tick_hz = hz;
    sched::start_clock(calibration.tsc_hz);
}

void count_ticks(uint64_t count) {
    __atomic_store_n(&g_ticks, g_ticks + count, __ATOMIC_RELAXED);
    sched::timer_tick();
}

uint64_t ticks() {
    return __atomic_load_n(&g_ticks, __ATOMIC_RELAXED);
}

uint32_t tick_hz() {
    return g_tick_hz;
}

uint64_t uptime_ms() {
    return g_tick_hz == 0 ? 0 : ticks() * 1000 / g_tick_hz;
}

const TimerCalibration& timer_calibration() {
    return g_calibration;
}

void TscDelay::wait_microseconds(uint32_t microseconds) {
    const uint64_t start = arch::read_tsc();
    const uint64_t cycles = g_calibration.tsc_hz / kMicrosecondsPerSecond * microseconds;
    while (arch::read_tsc() - start < cycles) asm volatile("pause");
}

void PortDelay::wait_microseconds(uint32_t microseconds) {
    for (uint32_t i = 0; i < microseconds; ++i) arch::out8(kPostCodePort, 0);
}

}  // namespace kernel::drivers
