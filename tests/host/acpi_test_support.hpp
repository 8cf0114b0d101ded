// Host stand-ins for what the ACPI parser reads: a physical memory made of a few regions, and table builders.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "acpi/sdt.hpp"
#include "acpi/tables.hpp"

namespace acpi_test {

// Each region lives in its own heap buffer of exactly its size, so ASan flags any read past a view's end.
class FakeMemory final : public kernel::acpi::PhysicalMemory {
public:
    void add(uint64_t base, const std::vector<uint8_t>& bytes) {
        Region region{base, bytes.size(), std::make_unique<uint8_t[]>(bytes.size())};
        if (!bytes.empty()) std::memcpy(region.bytes.get(), bytes.data(), bytes.size());
        m_regions.push_back(std::move(region));
    }

    const uint8_t* view(uint64_t address, uint64_t length) const override {
        ++m_views;
        for (const Region& region : m_regions) {
            if (address < region.base) continue;
            uint64_t offset = address - region.base;
            if (offset <= region.size && length <= region.size - offset) return region.bytes.get() + offset;
        }
        return nullptr;
    }

    uint64_t views() const { return m_views; }

private:
    struct Region {
        uint64_t base;
        uint64_t size;
        std::unique_ptr<uint8_t[]> bytes;
    };
    std::vector<Region> m_regions;
    mutable uint64_t m_views = 0;
};

inline void set_checksum(std::vector<uint8_t>& bytes, size_t checksum_offset, size_t length) {
    bytes[checksum_offset] = 0;
    uint8_t sum = 0;
    for (size_t i = 0; i < length && i < bytes.size(); ++i) sum = static_cast<uint8_t>(sum + bytes[i]);
    bytes[checksum_offset] = static_cast<uint8_t>(-sum);
}

// Little-endian table bytes with a correct header; length and checksum can be forged after finish().
class TableBuilder {
public:
    explicit TableBuilder(std::string_view signature, uint8_t revision = 1) {
        m_bytes.resize(sizeof(kernel::acpi::SdtHeader), 0);
        std::memcpy(m_bytes.data(), signature.data(), 4);
        m_bytes[8] = revision;
        std::memcpy(m_bytes.data() + 10, "MINK  ", 6);
    }
    TableBuilder& u8(uint8_t value) { return append(&value, 1); }
    TableBuilder& u16(uint16_t value) { return append(&value, 2); }
    TableBuilder& u32(uint32_t value) { return append(&value, 4); }
    TableBuilder& u64(uint64_t value) { return append(&value, 8); }
    TableBuilder& zeros(size_t count) {
        m_bytes.insert(m_bytes.end(), count, 0);
        return *this;
    }
    TableBuilder& gas(uint8_t space, uint64_t address, uint8_t bit_width = 32) {
        return u8(space).u8(bit_width).u8(0).u8(0).u64(address);
    }
    // Overwrites bytes already appended, e.g. a FADT field at its spec offset.
    template <typename T>
    TableBuilder& put(size_t offset, T value) {
        if (m_bytes.size() < offset + sizeof(T)) m_bytes.resize(offset + sizeof(T), 0);
        std::memcpy(m_bytes.data() + offset, &value, sizeof(T));
        return *this;
    }
    size_t size() const { return m_bytes.size(); }

    // Sets length to the bytes written (unless told otherwise) and makes the checksum right over that length.
    std::vector<uint8_t> finish(uint32_t declared_length = 0) const {
        std::vector<uint8_t> bytes = m_bytes;
        uint32_t length = declared_length != 0 ? declared_length : static_cast<uint32_t>(bytes.size());
        std::memcpy(bytes.data() + 4, &length, 4);
        set_checksum(bytes, 9, length);
        return bytes;
    }

private:
    TableBuilder& append(const void* value, size_t size) {
        auto* first = static_cast<const uint8_t*>(value);
        m_bytes.insert(m_bytes.end(), first, first + size);
        return *this;
    }
    std::vector<uint8_t> m_bytes;
};

// ACPI 1.0 (revision 0, 20 bytes) or 2.0+ (36 bytes) RSDP with both checksums right.
inline std::vector<uint8_t> make_rsdp(uint8_t revision, uint32_t rsdt, uint64_t xsdt = 0) {
    std::vector<uint8_t> bytes(revision >= 2 ? 36 : 20, 0);
    std::memcpy(bytes.data(), "RSD PTR ", 8);
    std::memcpy(bytes.data() + 9, "MINK  ", 6);
    bytes[15] = revision;
    std::memcpy(bytes.data() + 16, &rsdt, 4);
    if (revision >= 2) {
        uint32_t length = 36;
        std::memcpy(bytes.data() + 20, &length, 4);
        std::memcpy(bytes.data() + 24, &xsdt, 8);
    }
    set_checksum(bytes, 8, 20);
    if (revision >= 2) set_checksum(bytes, 32, 36);
    return bytes;
}

inline TableBuilder madt_builder(uint32_t local_apic = 0xFEE00000, uint32_t flags = kernel::acpi::kMadtPcAtCompatible) {
    TableBuilder builder("APIC", 5);
    builder.u32(local_apic).u32(flags);
    return builder;
}

// One enabled processor (APIC id 0) and one I/O APIC.
inline std::vector<uint8_t> small_madt() {
    return madt_builder().u8(0).u8(8).u8(0).u8(0).u32(1).u8(1).u8(12).u8(0).u8(0).u32(0xFEC00000).u32(0).finish();
}

// An ACPI 2.0+ FADT (244 bytes) with the PM timer at 0x608 in both fields and IAPC_BOOT_ARCH as given.
inline TableBuilder fadt_builder(uint16_t boot_arch = kernel::acpi::kBootArch8042, uint8_t revision = 4) {
    TableBuilder builder("FACP", revision);
    builder.zeros(244 - builder.size());
    builder.put<uint16_t>(46, 9).put<uint32_t>(76, 0x608).put<uint8_t>(91, 4).put<uint16_t>(109, boot_arch);
    builder.put<uint8_t>(208, 1).put<uint8_t>(209, 32).put<uint64_t>(212, 0x608);
    return builder;
}

inline std::vector<uint8_t> hpet_table(uint8_t space = 0, uint64_t address = 0xFED00000) {
    return TableBuilder("HPET").u32(0x8086A201).gas(space, address, 64).u8(0).u16(0x80).u8(0).finish();
}

}  // namespace acpi_test
