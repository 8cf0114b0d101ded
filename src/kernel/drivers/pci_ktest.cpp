// In-kernel tests of PCI configuration space: the live walk finds the host bridge, and an MCFG whose window
// points at nothing is refused without touching the access in use.
#include "acpi/acpi.hpp"
#include "drivers/pci.hpp"
#include "drivers/pci_config.hpp"
#include "testing/ktest.hpp"

namespace {

using namespace kernel;

class HostBridgeFinder final : public drivers::pci::FunctionVisitor {
public:
    void visit(const drivers::pci::Function& function) override {
        ++functions;
        const drivers::pci::Address& at = function.address;
        if (at.bus == 0 && at.device == 0 && at.function == 0)
            host_bridge = function.base_class == 0x06 && function.subclass == 0x00;
    }
    uint32_t functions = 0;
    bool host_bridge = false;
};

}  // namespace

// The boot's choice of access, made again on an MCFG holding this one window.
drivers::pci::AccessReport choose_access_with(const acpi::EcamWindow& window) {
    acpi::Mcfg mcfg;
    mcfg.windows.push(window);
    acpi::Summary summary;
    summary.mcfg = acpi::Found<acpi::Mcfg>(mcfg, 0x1000);
    return drivers::pci::init_config_space(&summary);
}

// Every PC has its host bridge at 00:00.0, whichever access the boot chose.
KTEST(pci_walk_finds_the_host_bridge) {
    HostBridgeFinder finder;
    const drivers::pci::ScanCount count = drivers::pci::scan(drivers::pci::config_space(), finder);
    KEXPECT(finder.host_bridge);
    KEXPECT(count.functions == finder.functions);
    KEXPECT(count.buses >= 1);
}

// 1 GiB: above the test machines' 128 MiB of RAM, below where SeaBIOS and OVMF place BARs and ECAM (0xB0000000
// and up on q35), so nothing answers there.
KTEST(mcfg_pointing_at_nothing_falls_back_to_the_ports) {
    drivers::pci::ConfigSpace& before = drivers::pci::config_space();
    const drivers::pci::AccessReport report = choose_access_with({0x4000'0000, 0, 0, 255});
    KEXPECT(report.access == drivers::pci::Access::Ports);
    KEXPECT(report.ecam_refused.has_value() && *report.ecam_refused == Error::PciEcamEmpty);
    KEXPECT(&drivers::pci::config_space() == &before);
}

// An MCFG without a window for bus 0 is refused for that, before anything is mapped.
KTEST(mcfg_without_bus_0_is_refused) {
    const drivers::pci::AccessReport report = choose_access_with({0xB000'0000, 0, 1, 255});
    KEXPECT(report.access == drivers::pci::Access::Ports);
    KEXPECT(report.ecam_refused.has_value() && *report.ecam_refused == Error::PciNoEcamWindow);
}

// 1 MiB is RAM on every PC (the kernel is loaded just above it): a window there is refused before it is mapped.
KTEST(mcfg_pointing_into_ram_is_refused) {
    const drivers::pci::AccessReport report = choose_access_with({0x10'0000, 0, 0, 255});
    KEXPECT(report.access == drivers::pci::Access::Ports);
    KEXPECT(report.ecam_refused.has_value() && *report.ecam_refused == Error::PciEcamOverRam);
}
