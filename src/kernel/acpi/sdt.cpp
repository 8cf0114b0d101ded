// Checks a System Description Table header before any of its contents are trusted.
#include "acpi/sdt.hpp"

#include "acpi/tables.hpp"

namespace kernel::acpi {
namespace {

bool same_signature(const char* left, const char* right) {
    for (size_t i = 0; i < sizeof(SdtHeader::signature); ++i)
        if (left[i] != right[i]) return false;
    return true;
}

}  // namespace

bool checksum_is_zero(const uint8_t* bytes, size_t length) {
    uint8_t sum = 0;
    for (size_t i = 0; i < length; ++i) sum = static_cast<uint8_t>(sum + bytes[i]);
    return sum == 0;
}

ErrorOr<Table> check_table(const uint8_t* bytes, size_t available, const char* signature) {
    if (bytes == nullptr || available < sizeof(SdtHeader)) return Error::AcpiTableHeaderUnreadable;
    auto header = load<SdtHeader>(bytes, 0);
    if (!same_signature(header.signature, signature)) return Error::AcpiTableBadSignature;
    if (header.length < sizeof(SdtHeader)) return Error::AcpiTableTooShort;
    if (header.length > available) return Error::AcpiTableUnreadable;
    if (!checksum_is_zero(bytes, header.length)) return Error::AcpiTableBadChecksum;
    return Table{bytes, header.length};
}

ErrorOr<Table> read_table(const PhysicalMemory& memory, uint64_t address, const char* signature) {
    const uint8_t* header = memory.view(address, sizeof(SdtHeader));
    if (header == nullptr) return Error::AcpiTableHeaderUnreadable;
    uint32_t length = load<SdtHeader>(header, 0).length;
    const uint8_t* bytes = length >= sizeof(SdtHeader) ? memory.view(address, length) : nullptr;
    if (bytes == nullptr) {
        // The header alone still tells a wrong signature or a too-short length apart from unreadable memory.
        TRY(check_table(header, sizeof(SdtHeader), signature));
        return Error::AcpiTableUnreadable;
    }
    // check_table re-reads the header but bounds it by the `length` viewed, so nothing past that view is read.
    return check_table(bytes, length, signature);
}

}  // namespace kernel::acpi
