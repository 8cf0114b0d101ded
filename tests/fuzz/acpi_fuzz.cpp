// libFuzzer target: arbitrary bytes become an RSDP and a physical memory of a few regions, parsed under ASan/UBSan.
//
// Input: [u8 n][n bytes of RSDP] then regions, each [u64 address][u16 length][length bytes], all little-endian;
// a region cut short by the end of the input keeps what there is. tests/fuzz/acpi_seeds.py writes the captured
// QEMU tables in this form. Each input runs twice: as it is, which mostly exercises the checksum checks, and with
// every checksum repaired, so that mutations reach the table decoders behind them.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "../host/acpi_test_support.hpp"
#include "acpi/acpi.hpp"

namespace {

using namespace kernel::acpi;

constexpr uint16_t kMaxIoPort = 0xFFFF;

class Reader {
public:
    Reader(const uint8_t* data, size_t size) : m_data(data), m_size(size) {}
    size_t left() const { return m_size - m_offset; }
    uint64_t number(size_t bytes) {
        uint64_t value = 0;
        for (size_t i = 0; i < bytes && m_offset < m_size; ++i) value |= uint64_t{m_data[m_offset++]} << (8 * i);
        return value;
    }
    std::vector<uint8_t> bytes(size_t count) {
        count = count < left() ? count : left();
        std::vector<uint8_t> out(m_data + m_offset, m_data + m_offset + count);
        m_offset += count;
        return out;
    }

private:
    const uint8_t* m_data;
    size_t m_size;
    size_t m_offset = 0;
};

// What the parser promises about any result, valid or not.
void check(const kernel::ErrorOr<Summary>& result) {
    if (result.is_error()) {
        if (to_string(result.error()) == nullptr) __builtin_trap();
        return;
    }
    const Summary& summary = result.value();
    if (summary.tables.size() > decltype(summary.tables)::kCapacity) __builtin_trap();
    if (summary.root == RootKind::None) __builtin_trap();
    if (!summary.madt.is_error()) {
        for (uint8_t irq = 0; irq < 16; ++irq) {
            IsaIrqRoute route = isa_irq_route(summary.madt.value(), irq);
            if (route.polarity != Polarity::ActiveHigh && route.polarity != Polarity::ActiveLow) __builtin_trap();
            if (route.trigger != TriggerMode::Edge && route.trigger != TriggerMode::Level) __builtin_trap();
        }
    }
    if (!summary.fadt.is_error()) {
        const PmTimer& timer = summary.fadt.value().pm_timer;
        if (timer.present && (timer.port == 0 || timer.port > kMaxIoPort - 3)) __builtin_trap();
    }
    if (!summary.hpet.is_error() && summary.hpet.value().base_address == 0) __builtin_trap();
    if (!summary.mcfg.is_error()) {
        for (const EcamWindow& window : summary.mcfg.value().windows) {
            if (window.base_address == 0 || window.end_bus < window.start_bus) __builtin_trap();
            if (window.base_address + ((uint64_t{window.end_bus} + 1) << kEcamBusShift) > (1ull << 52))
                __builtin_trap();
            if (find_ecam_window(summary.mcfg.value(), window.segment, window.end_bus) == nullptr) __builtin_trap();
        }
    }
}

struct Region {
    uint64_t address;
    std::vector<uint8_t> bytes;
};

// Makes a table at the start of a region (or the RSDP) sum to 0 over the length it claims, where that fits.
void repair(std::vector<uint8_t>& bytes, size_t checksum_at, size_t length_at, size_t minimum) {
    if (bytes.size() < length_at + 4) return;
    uint32_t length;
    std::memcpy(&length, bytes.data() + length_at, 4);
    if (length >= minimum && length <= bytes.size()) acpi_test::set_checksum(bytes, checksum_at, length);
}

void run(const std::vector<uint8_t>& rsdp, const std::vector<Region>& regions) {
    acpi_test::FakeMemory memory;
    for (const Region& region : regions) memory.add(region.address, region.bytes);
    // Exact-size copies, so a read past the RSDP's end hits a redzone; the 20-byte cut is what tag 14 gives.
    for (size_t rsdp_size : {rsdp.size(), rsdp.size() < 20 ? rsdp.size() : size_t{20}}) {
        std::unique_ptr<uint8_t[]> copy(new uint8_t[rsdp_size]);
        if (rsdp_size != 0) std::memcpy(copy.get(), rsdp.data(), rsdp_size);
        check(parse(copy.get(), rsdp_size, memory));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    Reader reader(data, size);
    std::vector<uint8_t> rsdp = reader.bytes(reader.number(1));
    std::vector<Region> regions;
    while (reader.left() > 0) {
        uint64_t address = reader.number(8);
        regions.push_back({address, reader.bytes(reader.number(2))});
    }
    run(rsdp, regions);
    if (rsdp.size() >= sizeof(RsdpV1)) acpi_test::set_checksum(rsdp, offsetof(RsdpV1, checksum), sizeof(RsdpV1));
    repair(rsdp, offsetof(RsdpV2, extended_checksum), offsetof(RsdpV2, length), sizeof(RsdpV2));
    for (Region& region : regions) {
        repair(region.bytes, offsetof(SdtHeader, checksum), offsetof(SdtHeader, length),
               offsetof(SdtHeader, checksum) + 1);
    }
    run(rsdp, regions);
    return 0;
}
