// HPET bring-up as a reference clock: map, read the period, start counting.
#include "drivers/hpet.hpp"

#include "lib/mmio.hpp"
#include "mm/device_windows.hpp"

namespace kernel::drivers {

namespace {

constexpr uint64_t kWindowSize = 1024;
constexpr uint32_t kCapabilities = 0x000;  // bits 63:32: the counter's period in femtoseconds
constexpr uint32_t kConfiguration = 0x010;
constexpr uint32_t kMainCounter = 0x0F0;
constexpr uint64_t kEnable = 1u << 0;
constexpr uint64_t kLegacyReplacement = 1u << 1;
constexpr uint64_t kFemtosecondsPerSecond = 1'000'000'000'000'000ull;
constexpr uint64_t kMaxPeriodFs = 100'000'000;  // the specification's limit: at least 10 MHz

}  // namespace

ErrorOr<void> HpetClock::init(const acpi::Hpet& table) {
    const auto window = mm::map_device(mm::PhysicalAddress(table.base_address), kWindowSize, arch::CacheMode::Uncached);
    if (window.is_error()) return Error::HpetUnmappable;
    auto* registers = window->as_pointer<uint8_t>();
    const uint64_t capabilities = lib::mmio_read(reinterpret_cast<const uint64_t*>(registers + kCapabilities));
    const uint64_t period_fs = capabilities >> 32;
    if (period_fs == 0 || period_fs > kMaxPeriodFs) {
        mm::unmap_device(*window, kWindowSize);
        return Error::HpetBadPeriod;
    }
    auto* configuration = reinterpret_cast<uint64_t*>(registers + kConfiguration);
    const uint64_t value = lib::mmio_read(configuration);
    lib::mmio_write(configuration, (value & ~kLegacyReplacement) | kEnable);
    m_registers = registers;
    m_frequency_hz = kFemtosecondsPerSecond / period_fs;
    (void)now();
    return {};
}

uint64_t HpetClock::now() {
    const auto* counter = reinterpret_cast<const uint32_t*>(m_registers + kMainCounter);
    return m_counter.update(lib::mmio_read(counter));
}

}  // namespace kernel::drivers
