// ACPI from the RSDP a Multiboot2 loader copies (tags 14 and 15) to the MADT, FADT, HPET and MCFG: pure code that
// reads physical memory only through the caller's PhysicalMemory and checks every length and checksum.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "acpi/fadt.hpp"
#include "acpi/fixed_list.hpp"
#include "acpi/hpet.hpp"
#include "acpi/madt.hpp"
#include "acpi/mcfg.hpp"
#include "acpi/sdt.hpp"
#include "lib/error.hpp"
#include "lib/optional.hpp"

namespace kernel::acpi {

enum class RootKind : uint8_t { None, Rsdt, Xsdt };

// One entry of the RSDT/XSDT whose header could be read (its checksum is checked only for the tables parsed).
struct TableEntry {
    char signature[5] = {};  // NUL-terminated.
    uint64_t address = 0;
    uint32_t length = 0;
};

// A table this parser decodes, and the address it was read from: AcpiNotFound when the root lists none; when it
// lists several, the first that is valid wins, and the error, if none is, is the first one's.
template <typename T>
struct Found : ErrorOr<T> {
    constexpr Found() : ErrorOr<T>(Error::AcpiNotFound) {}
    constexpr Found(const ErrorOr<T>& result, uint64_t table_address) : ErrorOr<T>(result), address(table_address) {}

    uint64_t address = 0;
};

// What parse() read when the RSDP and the root table checked out.
struct Summary {
    uint8_t rsdp_revision = 0;
    char oem_id[7] = {};  // NUL-terminated.
    RootKind root = RootKind::None;
    uint64_t root_address = 0;
    // Why an XSDT the RSDP offered was refused; the RSDT was used instead.
    lib::Optional<Error> xsdt_error;
    FixedList<TableEntry, 32> tables;
    uint32_t unreadable_entries = 0;  // Root entries pointing at memory the header could not be read from.
    Found<Madt> madt;
    Found<Fadt> fadt;
    Found<Hpet> hpet;
    Found<Mcfg> mcfg;
};

// rsdp: the RSDP copy from the boot information, rsdp_size bytes of it readable (20 for an ACPI 1.0 copy,
// `length` for 2.0+). An ACPI 2.0+ RSDP given with fewer than 36 bytes is used through its RSDT. An error means
// the RSDP or the root table is unusable, so no table was read.
[[nodiscard]] ErrorOr<Summary> parse(const uint8_t* rsdp, size_t rsdp_size, const PhysicalMemory& memory);

}  // namespace kernel::acpi
