// Validates the RSDP, picks the XSDT or RSDT, and hands each table it lists to the parser for its signature.
#include "acpi/acpi.hpp"

#include "acpi/tables.hpp"

namespace kernel::acpi {
namespace {

struct RootPointers {
    uint64_t rsdt = 0;
    uint64_t xsdt = 0;  // 0 unless the RSDP is 2.0+ and its extended part checked out.
};

ErrorOr<RootPointers> check_rsdp(const uint8_t* rsdp, size_t size, Summary& summary) {
    if (rsdp == nullptr || size < sizeof(RsdpV1)) return Error::AcpiRsdpTooShort;
    auto v1 = load<RsdpV1>(rsdp, 0);
    for (size_t i = 0; i < sizeof(kRsdpSignature); ++i)
        if (v1.signature[i] != kRsdpSignature[i]) return Error::AcpiRsdpBadSignature;
    if (!checksum_is_zero(rsdp, sizeof(RsdpV1))) return Error::AcpiRsdpBadChecksum;
    summary.rsdp_revision = v1.revision;
    __builtin_memcpy(summary.oem_id, v1.oem_id, sizeof(v1.oem_id));
    RootPointers roots{v1.rsdt_address, 0};
    if (v1.revision < kRsdpExtendedRevision || size < sizeof(RsdpV2)) return roots;
    auto v2 = load<RsdpV2>(rsdp, 0);
    if (v2.length < sizeof(RsdpV2) || v2.length > size) return Error::AcpiRsdpBadLength;
    if (!checksum_is_zero(rsdp, v2.length)) return Error::AcpiRsdpBadExtendedChecksum;
    roots.xsdt = v2.xsdt_address;
    return roots;
}

ErrorOr<Table> read_root(const PhysicalMemory& memory, uint64_t address, RootKind kind) {
    const Table root = TRY(read_table(memory, address, kind == RootKind::Xsdt ? kXsdtSignature : kRsdtSignature));
    size_t entry_size = kind == RootKind::Xsdt ? sizeof(uint64_t) : sizeof(uint32_t);
    if ((root.length - sizeof(SdtHeader)) % entry_size != 0) return Error::AcpiRootTableBadLength;
    return root;
}

// The XSDT when the RSDP offers one and it checks out, else the RSDT.
ErrorOr<Table> choose_root(const PhysicalMemory& memory, const RootPointers& roots, Summary& summary) {
    if (roots.xsdt != 0) {
        const ErrorOr<Table> xsdt = read_root(memory, roots.xsdt, RootKind::Xsdt);
        if (!xsdt.is_error()) {
            summary.root = RootKind::Xsdt;
            summary.root_address = roots.xsdt;
            return xsdt;
        }
        summary.xsdt_error = xsdt.error();
        if (roots.rsdt == 0) return xsdt.error();  // Nothing to fall back on.
    }
    if (roots.rsdt == 0) return Error::AcpiNoRootTable;
    const Table rsdt = TRY(read_root(memory, roots.rsdt, RootKind::Rsdt));
    summary.root = RootKind::Rsdt;
    summary.root_address = roots.rsdt;
    return rsdt;
}

template <typename T>
using TableParser = ErrorOr<T> (*)(const Table&);

template <typename T>
ErrorOr<T> read_and_parse(const PhysicalMemory& memory, uint64_t address, const char* signature,
                          TableParser<T> parse_table) {
    const Table table = TRY(read_table(memory, address, signature));
    return parse_table(table);
}

template <typename T>
void consider(Found<T>& found, const PhysicalMemory& memory, uint64_t address, const char* signature,
              TableParser<T> parse_table) {
    if (!found.is_error()) return;
    const ErrorOr<T> parsed = read_and_parse(memory, address, signature, parse_table);
    if (!parsed.is_error() || found.error() == Error::AcpiNotFound) found = Found<T>(parsed, address);
}

bool has_signature(const TableEntry& entry, const char* signature) {
    for (size_t i = 0; i < sizeof(SdtHeader::signature); ++i)
        if (entry.signature[i] != signature[i]) return false;
    return true;
}

void visit_entry(const PhysicalMemory& memory, uint64_t address, Summary& summary) {
    const uint8_t* header_bytes = memory.view(address, sizeof(SdtHeader));
    if (header_bytes == nullptr) {
        if (summary.unreadable_entries != UINT32_MAX) ++summary.unreadable_entries;
        return;
    }
    auto header = load<SdtHeader>(header_bytes, 0);
    TableEntry entry;
    __builtin_memcpy(entry.signature, header.signature, sizeof(header.signature));
    entry.address = address;
    entry.length = header.length;
    summary.tables.push(entry);
    if (has_signature(entry, kMadtSignature)) consider(summary.madt, memory, address, kMadtSignature, parse_madt);
    if (has_signature(entry, kFadtSignature)) consider(summary.fadt, memory, address, kFadtSignature, parse_fadt);
    if (has_signature(entry, kHpetSignature)) consider(summary.hpet, memory, address, kHpetSignature, parse_hpet);
    if (has_signature(entry, kMcfgSignature)) consider(summary.mcfg, memory, address, kMcfgSignature, parse_mcfg);
}

}  // namespace

ErrorOr<Summary> parse(const uint8_t* rsdp, size_t rsdp_size, const PhysicalMemory& memory) {
    Summary summary;
    const RootPointers roots = TRY(check_rsdp(rsdp, rsdp_size, summary));
    const Table root = TRY(choose_root(memory, roots, summary));
    size_t entry_size = summary.root == RootKind::Xsdt ? sizeof(uint64_t) : sizeof(uint32_t);
    for (size_t offset = sizeof(SdtHeader); offset < root.length; offset += entry_size) {
        uint64_t address =
            entry_size == sizeof(uint64_t) ? load<uint64_t>(root.bytes, offset) : load<uint32_t>(root.bytes, offset);
        visit_entry(memory, address, summary);
    }
    return summary;
}

}  // namespace kernel::acpi
