// The two ways to configuration space. ECAM is plain memory, mapped uncached one bus (1 MiB) at a time so that a
// walk maps only the buses it reads; the ports take an address then a data access, under one lock.
#include "drivers/pci_config.hpp"

#include "addr/direct_map.hpp"
#include "addr/layout.hpp"
#include "arch/x86_64/io.hpp"
#include "arch/x86_64/spinlock.hpp"
#include "lib/mmio.hpp"
#include "mm/device_windows.hpp"
#include "mm/memory.hpp"

namespace kernel::drivers::pci {

namespace {

constexpr uint32_t kNothing = 0xFFFFFFFF;  // what a read finds where no function answers

// True when the direct map shows any page of the range: RAM (or ACPI tables), which a hostile or broken MCFG
// may point at. Mapping it uncached beside the direct map's write-back would give one page two memory types.
bool overlaps_direct_map(mm::PhysicalAddress start, uint64_t size) {
    for (mm::PhysicalAddress page = start.page_floor(); page < start + size; page += mm::kPageSize)
        if (page < mm::layout::kDirectMapLimit && mm::kernel_mapper().translate(mm::to_virtual(page))) return true;
    return false;
}

// Configuration mechanism #1 (PCI Local Bus 3.0, 3.2.2.3.2): the function and register go to 0xCF8, the
// register's 32 bits come and go through 0xCFC-0xCFF.
class PortConfigSpace final : public ConfigSpace {
public:
    static constexpr uint16_t kAddressPort = 0xCF8;
    static constexpr uint16_t kDataPort = 0xCFC;
    static constexpr uint16_t kRegisters = 256;  // the ports reach only the first 256 bytes

    uint32_t read32(Address address, uint16_t offset) override {
        if (offset >= kRegisters) return kNothing;
        arch::SpinLockGuard guard(m_lock);
        arch::out32(kAddressPort, encode(address, offset));
        return arch::in32(kDataPort);
    }
    void write8(Address address, uint16_t offset, uint8_t value) override {
        if (offset >= kRegisters) return;
        arch::SpinLockGuard guard(m_lock);
        arch::out32(kAddressPort, encode(address, offset));
        arch::out8(static_cast<uint16_t>(kDataPort + (offset & 3)), value);
    }

private:
    static constexpr uint32_t kEnable = 1u << 31;

    static uint32_t encode(Address address, uint16_t offset) {
        return kEnable | uint32_t{address.bus} << 16 | uint32_t{address.device} << 11 |
               uint32_t{address.function} << 8 | (offset & 0xFC);
    }

    arch::SpinLock m_lock;  // the address and data accesses go together
};

// Enhanced configuration access (PCI Express Base 4.0, 7.2.2): function F of device D on bus B has 4 KiB at
// base + (B << 20 | D << 15 | F << 12).
class EcamConfigSpace final : public ConfigSpace {
public:
    static constexpr uint16_t kRegisters = 4096;

    // A new window forgets what the last one mapped (its windows stay mapped, unused).
    void use(const acpi::EcamWindow& window) {
        arch::SpinLockGuard guard(m_lock);
        m_window = window;
        for (unsigned bus = 0; bus < kBuses; ++bus) {
            m_buses[bus] = nullptr;
            m_unmappable[bus] = false;
        }
    }

    uint32_t read32(Address address, uint16_t offset) override {
        uint8_t* function = function_window(address, offset);
        constexpr uint16_t kDwordMask = 0xFFC;
        return function == nullptr
                   ? kNothing
                   : lib::mmio_read(reinterpret_cast<const uint32_t*>(function + (offset & kDwordMask)));
    }
    void write8(Address address, uint16_t offset, uint8_t value) override {
        uint8_t* function = function_window(address, offset);
        if (function != nullptr) lib::mmio_write(function + offset, value);
    }

private:
    static constexpr unsigned kDeviceShift = 15;
    static constexpr unsigned kFunctionShift = 12;
    static constexpr uint64_t kBusSize = 1ull << acpi::kEcamBusShift;

    uint8_t* function_window(Address address, uint16_t offset) {
        if (offset >= kRegisters || address.device >= kDevicesPerBus || address.function >= kFunctionsPerDevice)
            return nullptr;
        uint8_t* bus = bus_window(address.bus);
        if (bus == nullptr) return nullptr;
        return bus + (uint32_t{address.device} << kDeviceShift | uint32_t{address.function} << kFunctionShift);
    }

    // Mapped on first use and kept; a bus outside the window, or one that cannot be mapped, has nothing.
    uint8_t* bus_window(uint8_t bus) {
        arch::SpinLockGuard guard(m_lock);
        if (bus < m_window.start_bus || bus > m_window.end_bus) return nullptr;
        if (m_buses[bus] == nullptr && !m_unmappable[bus]) {
            const mm::PhysicalAddress start(m_window.base_address + bus * kBusSize);
            const auto mapped = overlaps_direct_map(start, kBusSize)
                                    ? ErrorOr<mm::VirtualAddress>(Error::PciEcamOverRam)
                                    : mm::map_device(start, kBusSize, arch::CacheMode::Uncached);
            if (mapped.is_error())
                m_unmappable[bus] = true;
            else
                m_buses[bus] = mapped->as_pointer<uint8_t>();
        }
        return m_buses[bus];
    }

    acpi::EcamWindow m_window;
    arch::SpinLock m_lock;  // over the window and the two tables below
    uint8_t* m_buses[kBuses] = {};
    bool m_unmappable[kBuses] = {};
};

constinit PortConfigSpace g_ports;
constinit EcamConfigSpace g_ecam;
constinit ConfigSpace* g_access = &g_ports;

// The MCFG's window for bus 0 of segment 0 when 00:00.0 answers through it (a host bridge is there on every
// PC); why not otherwise. The probe maps one page of its own and gives it back, so a refused window leaves
// nothing behind. Memory where nothing is reads all ones on a PC, all zeros on some emulators: neither is a
// vendor.
ErrorOr<acpi::EcamWindow> usable_ecam(const acpi::Mcfg& mcfg) {
    const acpi::EcamWindow* window = acpi::find_ecam_window(mcfg, 0, 0);
    if (window == nullptr) return Error::PciNoEcamWindow;
    constexpr uint64_t kProbeSize = 4096;  // 00:00.0's configuration space
    if (overlaps_direct_map(mm::PhysicalAddress(window->base_address), kProbeSize)) return Error::PciEcamOverRam;
    const auto probe = mm::map_device(mm::PhysicalAddress(window->base_address), kProbeSize, arch::CacheMode::Uncached);
    if (probe.is_error()) return Error::PciEcamUnmappable;
    const auto vendor = static_cast<uint16_t>(lib::mmio_read(probe->as_pointer<uint32_t>()));
    mm::unmap_device(*probe, kProbeSize);
    if (vendor == kNoVendor || vendor == 0) return Error::PciEcamEmpty;
    return *window;
}

}  // namespace

AccessReport init_config_space(const acpi::Summary* acpi) {
    AccessReport report;
    if (acpi == nullptr || acpi->mcfg.is_error()) return report;
    const ErrorOr<acpi::EcamWindow> window = usable_ecam(acpi->mcfg.value());
    if (window.is_error()) {
        report.ecam_refused = window.error();
        return report;
    }
    report.access = Access::Ecam;
    report.window = window.value();
    g_ecam.use(window.value());
    g_access = &g_ecam;
    return report;
}

ConfigSpace& config_space() {
    return *g_access;
}

}  // namespace kernel::drivers::pci
