// Finds \_S5 by scanning AML for its NameOp and reading the package after it (ACPI 6.5 section 20.2): every read
// is checked against the end of the bytes given, and the package against its own PkgLength.
#include "acpi/s5.hpp"

#include "acpi/tables.hpp"

namespace kernel::acpi {
namespace {

// AML opcodes and prefixes (ACPI 6.5 section 20.2.5 and 20.3).
constexpr uint8_t kZeroOp = 0x00;
constexpr uint8_t kOneOp = 0x01;
constexpr uint8_t kNameOp = 0x08;
constexpr uint8_t kBytePrefix = 0x0A;
constexpr uint8_t kWordPrefix = 0x0B;
constexpr uint8_t kDWordPrefix = 0x0C;
constexpr uint8_t kQWordPrefix = 0x0E;
constexpr uint8_t kPackageOp = 0x12;
constexpr uint8_t kRootChar = '\\';
constexpr uint8_t kS5Name[4] = {'_', 'S', '5', '_'};

// PkgLength's lead byte: bits 7-6 count the bytes that follow (0-3); with none, bits 5-0 are the length, else
// bits 3-0 are its low nibble (bits 5-4 reserved, 0) and each following byte adds 8 more bits.
constexpr unsigned kPkgFollowingShift = 6;
constexpr uint8_t kPkgShortMask = 0x3F;
constexpr uint8_t kPkgNibbleMask = 0x0F;
constexpr uint8_t kPkgReservedMask = 0x30;
constexpr unsigned kPkgNibbleBits = 4;

// SLP_TYPx is a 3-bit field of PM1x_CNT.
constexpr uint64_t kMaxSleepType = 7;

// A bounded cursor over [at, end): every read says whether the bytes were there.
struct Reader {
    const uint8_t* bytes;
    size_t at;
    size_t end;

    bool read(uint8_t& out) {
        if (at >= end) return false;
        out = bytes[at++];
        return true;
    }
    // Little-endian, `size` bytes (at most 8).
    bool read_le(size_t size, uint64_t& out) {
        if (end - at < size) return false;
        out = 0;
        for (size_t i = 0; i < size; ++i) out |= static_cast<uint64_t>(bytes[at + i]) << (8 * i);
        at += size;
        return true;
    }
};

// The package's end, from its PkgLength (which counts from its own first byte); it must fit the bytes given.
ErrorOr<size_t> read_package_end(Reader& reader) {
    const size_t start = reader.at;
    uint8_t lead = 0;
    if (!reader.read(lead)) return Error::AcpiS5Truncated;
    const unsigned following = lead >> kPkgFollowingShift;
    uint64_t length = lead & kPkgShortMask;
    if (following > 0) {
        if ((lead & kPkgReservedMask) != 0) return Error::AcpiS5NotPackage;
        uint64_t rest = 0;
        if (!reader.read_le(following, rest)) return Error::AcpiS5Truncated;
        length = (lead & kPkgNibbleMask) | (rest << kPkgNibbleBits);
    }
    if (length > reader.end - start) return Error::AcpiS5Truncated;
    if (length < 1 + following + 1) return Error::AcpiS5Truncated;  // room for itself and NumElements
    return start + length;
}

// One element: an integer constant as firmware writes small ones. OnesOp and anything computed are refused.
ErrorOr<uint8_t> read_sleep_type(Reader& reader) {
    uint8_t op = 0;
    if (!reader.read(op)) return Error::AcpiS5Truncated;
    uint64_t value = 0;
    switch (op) {
    case kZeroOp: value = 0; break;
    case kOneOp: value = 1; break;
    case kBytePrefix:
    case kWordPrefix:
    case kDWordPrefix:
    case kQWordPrefix: {
        const size_t size = op == kBytePrefix ? 1 : op == kWordPrefix ? 2 : op == kDWordPrefix ? 4 : 8;
        if (!reader.read_le(size, value)) return Error::AcpiS5Truncated;
        break;
    }
    default: return Error::AcpiS5NotInteger;
    }
    if (value > kMaxSleepType) return Error::AcpiS5ValueTooLarge;
    return static_cast<uint8_t>(value);
}

// The package that starts at `at` (its PackageOp), read no further than `end`.
ErrorOr<SleepType> read_s5_package(const uint8_t* aml, size_t at, size_t end) {
    Reader reader{aml, at, end};
    uint8_t op = 0;
    if (!reader.read(op)) return Error::AcpiS5Truncated;
    if (op != kPackageOp) return Error::AcpiS5NotPackage;
    reader.end = TRY(read_package_end(reader));
    uint8_t elements = 0;
    if (!reader.read(elements)) return Error::AcpiS5Truncated;
    if (elements < 2) return Error::AcpiS5TooFewElements;
    SleepType sleep_type;
    sleep_type.a = TRY(read_sleep_type(reader));
    sleep_type.b = TRY(read_sleep_type(reader));
    return sleep_type;
}

bool is_s5_name(const uint8_t* aml, size_t at, size_t length) {
    return length - at >= sizeof kS5Name && __builtin_memcmp(aml + at, kS5Name, sizeof kS5Name) == 0;
}

}  // namespace

ErrorOr<SleepType> find_s5_in_aml(const uint8_t* aml, size_t length) {
    Error first_error = Error::AcpiS5Missing;
    for (size_t at = 0; at < length; ++at) {
        if (aml[at] != kNameOp) continue;
        // NameOp, then the name: _S5_ relative to the current scope, or \_S5_ from the root.
        size_t name = at + 1;
        if (name < length && aml[name] == kRootChar) ++name;
        if (!is_s5_name(aml, name, length)) continue;
        const ErrorOr<SleepType> found = read_s5_package(aml, name + sizeof kS5Name, length);
        if (!found.is_error()) return found;
        if (first_error == Error::AcpiS5Missing) first_error = found.error();
    }
    return first_error;
}

ErrorOr<SleepType> find_s5_in_table(const Table& table) {
    if (table.length < sizeof(SdtHeader)) return Error::AcpiTableTooShort;
    return find_s5_in_aml(table.bytes + sizeof(SdtHeader), table.length - sizeof(SdtHeader));
}

namespace {

constexpr char kDsdtSignature[4] = {'D', 'S', 'D', 'T'};
constexpr char kSsdtSignature[4] = {'S', 'S', 'D', 'T'};

// Keeps the first error worth reporting: a malformed \_S5 or an unreadable table says more than "missing".
void keep_first(Error& kept, Error error) {
    if (kept == Error::AcpiS5Missing) kept = error;
}

ErrorOr<SleepType> search(const PhysicalMemory& memory, uint64_t address, const char* signature, Error& kept) {
    const ErrorOr<Table> table = read_table(memory, address, signature);
    if (table.is_error()) {
        keep_first(kept, table.error());
        return Error::AcpiS5Missing;
    }
    const ErrorOr<SleepType> found = find_s5_in_table(table.value());
    if (found.is_error() && found.error() != Error::AcpiS5Missing) keep_first(kept, found.error());
    return found;
}

}  // namespace

ErrorOr<SleepType> find_s5(const Summary& summary, const PhysicalMemory& memory) {
    Error kept = Error::AcpiS5Missing;
    if (summary.fadt.is_error()) {
        kept = summary.fadt.error();
    } else if (summary.fadt.value().dsdt_address == 0) {
        kept = Error::AcpiNoDsdt;
    } else {
        const ErrorOr<SleepType> found = search(memory, summary.fadt.value().dsdt_address, kDsdtSignature, kept);
        if (!found.is_error()) return found;
    }
    for (const TableEntry& entry : summary.tables) {
        if (__builtin_memcmp(entry.signature, kSsdtSignature, sizeof kSsdtSignature) != 0) continue;
        const ErrorOr<SleepType> found = search(memory, entry.address, kSsdtSignature, kept);
        if (!found.is_error()) return found;
    }
    return kept;
}

namespace {

constexpr uint64_t kMaxPort = 0xFFFF;

// A PM1 control block as an I/O port for 16-bit accesses: absent (0) stays 0; anything but system I/O is refused.
ErrorOr<uint16_t> to_port(const GenericAddress& block) {
    if (block.address == 0) return uint16_t{0};
    if (block.address_space != static_cast<uint8_t>(AddressSpace::SystemIo) || block.address > kMaxPort - 1)
        return Error::AcpiPm1NotSystemIo;
    return static_cast<uint16_t>(block.address);
}

}  // namespace

ErrorOr<S5Plan> plan_s5(const Summary& summary, const PhysicalMemory& memory) {
    if (summary.fadt.is_error()) return summary.fadt.error();
    const Fadt& fadt = summary.fadt.value();
    S5Plan plan;
    plan.pm1a_port = TRY(to_port(fadt.pm1_control.a));
    if (plan.pm1a_port == 0) return Error::AcpiNoPm1Control;
    plan.pm1b_port = TRY(to_port(fadt.pm1_control.b));
    plan.sleep_type = TRY(find_s5(summary, memory));
    plan.acpi_enable = fadt.acpi_enable;
    return plan;
}

}  // namespace kernel::acpi
