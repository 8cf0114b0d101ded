// Names for ACPI errors, worded for the boot log.
#include "acpi/error.hpp"

namespace kernel::acpi {

const char* to_string(Error error) {
    // No default case: -Wswitch then flags any enumerator added without a name here.
    switch (error) {
    case Error::None: return "none";
    case Error::NotFound: return "table not listed in the RSDT/XSDT";
    case Error::RsdpTooShort: return "RSDP missing or shorter than 20 bytes";
    case Error::RsdpBadSignature: return "RSDP signature is not \"RSD PTR \"";
    case Error::RsdpBadChecksum: return "RSDP checksum (first 20 bytes) does not sum to 0";
    case Error::RsdpBadLength: return "RSDP length below 36 or beyond the bytes given";
    case Error::RsdpBadExtendedChecksum: return "RSDP extended checksum does not sum to 0";
    case Error::NoRootTable: return "RSDP gives neither an RSDT nor an XSDT address";
    case Error::TableHeaderUnreadable: return "table header not in readable memory";
    case Error::TableTooShort: return "table length below its 36-byte header";
    case Error::TableUnreadable: return "table length runs past readable memory";
    case Error::TableBadSignature: return "table signature is not the one expected";
    case Error::TableBadChecksum: return "table checksum does not sum to 0";
    case Error::RootTableBadLength: return "RSDT/XSDT length is not a whole number of entries";
    case Error::MadtTooShort: return "MADT shorter than its 44-byte fixed part";
    case Error::MadtEntryTooShort: return "MADT entry length below 2";
    case Error::MadtEntryPastEnd: return "MADT entry runs past the end of the table";
    case Error::MadtEntryTooShortForType: return "MADT entry shorter than its type requires";
    case Error::FadtTooShort: return "FADT shorter than the 116 bytes of ACPI 1.0";
    case Error::HpetTooShort: return "HPET table shorter than 56 bytes";
    case Error::HpetNotSystemMemory: return "HPET base address not in system memory space";
    case Error::HpetNoAddress: return "HPET base address is 0";
    }
    return "unknown ACPI error";
}

}  // namespace kernel::acpi
