// How the kernel reaches PCI configuration space: ECAM through the MCFG's window for bus 0 of segment 0 when
// the firmware gives one that answers, else configuration mechanism #1 (the ports 0xCF8 and 0xCFC).
#pragma once

#include <stdint.h>

#include "acpi/acpi.hpp"
#include "drivers/pci.hpp"
#include "lib/error.hpp"
#include "lib/optional.hpp"

namespace kernel::drivers::pci {

enum class Access : uint8_t { Ports, Ecam };

struct AccessReport {
    Access access = Access::Ports;
    acpi::EcamWindow window;  // Ecam: the window in use
    // Ports: why the MCFG's window was refused; none when there is no MCFG (PCs before PCI Express).
    lib::Optional<Error> ecam_refused;
};

// Chooses at boot (acpi may be null): the ECAM window when 00:00.0 answers through it, else the ports. A
// refused window changes nothing: the access stays as it was. Buses are mapped when a walk first reaches them.
AccessReport init_config_space(const acpi::Summary* acpi);

// The access chosen by init_config_space(); the ports before it runs.
[[nodiscard]] ConfigSpace& config_space();

}  // namespace kernel::drivers::pci
