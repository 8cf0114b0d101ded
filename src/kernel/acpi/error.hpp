// What can be wrong with firmware's ACPI tables, as values a person can read through to_string().
#pragma once

#include <stdint.h>

namespace kernel::acpi {

enum class Error : uint8_t {
    None,
    NotFound,
    RsdpTooShort,
    RsdpBadSignature,
    RsdpBadChecksum,
    RsdpBadLength,
    RsdpBadExtendedChecksum,
    NoRootTable,
    TableHeaderUnreadable,
    TableTooShort,
    TableUnreadable,
    TableBadSignature,
    TableBadChecksum,
    RootTableBadLength,
    MadtTooShort,
    MadtEntryTooShort,
    MadtEntryPastEnd,
    MadtEntryTooShortForType,
    FadtTooShort,
    HpetTooShort,
    HpetNotSystemMemory,
    HpetNoAddress,
};
// Keep equal to the last enumerator so tests can walk every error.
inline constexpr Error kLastError = Error::HpetNoAddress;

[[nodiscard]] const char* to_string(Error error);

}  // namespace kernel::acpi
