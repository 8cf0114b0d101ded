// Host tests for the loader's edge: Multiboot2 bytes, parsed and turned into
// mink's boot record, give every layer below main the same facts the
// parser found (strings, the memory map read in place, the framebuffer,
// modules, the RSDP) plus the two ranges the kernel supplies.
#include "multiboot/boot_record.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "multiboot/multiboot2.hpp"

#ifndef MINK_TEST_DATA_DIR
#error "define MINK_TEST_DATA_DIR as a string literal naming tests/data"
#endif

using namespace kernel;

namespace {

// Tags laid out as GRUB would, 8-byte aligned; build() writes total_size.
class Mbi {
public:
    Mbi() : m_bytes(8, 0) {}
    Mbi& tag(uint32_t type, const std::vector<uint8_t>& payload) {
        put32(type);
        put32(uint32_t(8 + payload.size()));
        m_bytes.insert(m_bytes.end(), payload.begin(), payload.end());
        m_bytes.resize((m_bytes.size() + 7) & ~size_t{7}, 0);
        return *this;
    }
    Mbi& text(uint32_t type, std::string_view value) {
        std::vector<uint8_t> payload(value.begin(), value.end());
        payload.push_back(0);
        return tag(type, payload);
    }
    // Entries of entry_size bytes: base, length, type, then padding.
    Mbi& memory_map(const std::vector<multiboot::MemoryRegion>& regions, uint32_t entry_size) {
        std::vector<uint8_t> payload;
        append(payload, entry_size);
        append(payload, uint32_t{0});
        for (const multiboot::MemoryRegion& region : regions) {
            append(payload, region.base);
            append(payload, region.length);
            append(payload, region.type);
            payload.resize(payload.size() + entry_size - 20, 0);
        }
        return tag(6, payload);
    }
    Mbi& module(uint32_t start, uint32_t end, std::string_view name) {
        std::vector<uint8_t> payload;
        append(payload, start);
        append(payload, end);
        payload.insert(payload.end(), name.begin(), name.end());
        payload.push_back(0);
        return tag(3, payload);
    }
    Mbi& framebuffer(uint64_t address, uint32_t pitch, uint32_t width, uint32_t height, uint8_t bpp, uint8_t type,
                     const std::vector<uint8_t>& colours) {
        std::vector<uint8_t> payload;
        append(payload, address);
        append(payload, pitch);
        append(payload, width);
        append(payload, height);
        payload.insert(payload.end(), {bpp, type, 0, 0});
        payload.insert(payload.end(), colours.begin(), colours.end());
        return tag(8, payload);
    }
    // 8-byte aligned storage, as the parser demands.
    std::vector<uint64_t> build() {
        tag(0, {});
        const uint32_t total = uint32_t(m_bytes.size());
        std::memcpy(m_bytes.data(), &total, 4);
        std::vector<uint64_t> aligned(m_bytes.size() / 8);
        std::memcpy(aligned.data(), m_bytes.data(), m_bytes.size());
        return aligned;
    }

private:
    template <typename T>
    static void append(std::vector<uint8_t>& bytes, T value) {
        const auto* first = reinterpret_cast<const uint8_t*>(&value);
        bytes.insert(bytes.end(), first, first + sizeof value);
    }
    void put32(uint32_t value) { append(m_bytes, value); }
    std::vector<uint8_t> m_bytes;
};

constexpr boot::PhysicalRange kImage{0x20'0000, 0x12'3000};
constexpr boot::PhysicalRange kBootInformation{0x1'0000, 0x400};

// The record points into `mbi`, which must outlive it.
boot::BootRecord record_of(const void* mbi, size_t size) {
    const ErrorOr<multiboot::BootInfo> parsed = multiboot::parse_boot_info(mbi, size);
    EXPECT_FALSE(parsed.is_error()) << to_string(parsed.error());
    return parsed.is_error() ? boot::BootRecord{} : multiboot::to_boot_record(*parsed, kImage, kBootInformation);
}

boot::BootRecord record_of(const std::vector<uint64_t>& mbi) {
    return record_of(mbi.data(), mbi.size() * 8);
}

}  // namespace

TEST(BootRecord, CarriesEveryFactTheKernelReads) {
    std::vector<uint8_t> rsdp(36, 0);
    std::memcpy(rsdp.data(), "RSD PTR ", 8);
    const auto mbi = Mbi{}
                         .text(2, "GRUB 2.12")
                         .text(1, "quiet")
                         .memory_map({{0, 0x9F000, 1}, {0xF0000, 0x10000, 2}, {0x10'0000, 0x7F0'0000, 1}}, 24)
                         .framebuffer(0xFD00'0000, 3200, 800, 600, 32, 1, {16, 8, 8, 8, 0, 8})
                         .module(0x80'0000, 0x80'1000, "initrd")
                         .tag(15, rsdp)
                         .build();
    const boot::BootRecord record = record_of(mbi);
    EXPECT_STREQ(record.loader_name, "GRUB 2.12");
    EXPECT_STREQ(record.command_line, "quiet");

    ASSERT_TRUE(record.has_memory_map);
    ASSERT_EQ(record.memory_map.count(), 3u);
    EXPECT_EQ(record.memory_map.region(1).base, 0xF0000u);
    EXPECT_EQ(record.memory_map.region(1).length, 0x10000u);
    EXPECT_FALSE(record.memory_map.region(1).usable);
    EXPECT_FALSE(record.memory_map.region(1).acpi);
    EXPECT_TRUE(record.memory_map.region(2).usable);
    EXPECT_EQ(record.memory_map.region(3).length, 0u);  // past the end: empty
    EXPECT_EQ(record.usable_memory_bytes, 0x9F000u + 0x7F0'0000u);

    ASSERT_TRUE(record.has_framebuffer);
    const boot::Framebuffer& fb = record.framebuffer;
    EXPECT_EQ(fb.address, 0xFD00'0000u);
    EXPECT_EQ(fb.kind, boot::FramebufferKind::Rgb);
    EXPECT_EQ(fb.size(), 3200u * 600);
    EXPECT_EQ(fb.bpp, 32);
    EXPECT_EQ(fb.red_position, 16);
    EXPECT_EQ(fb.green_size, 8);
    EXPECT_EQ(fb.blue_position, 0);

    ASSERT_EQ(record.module_count, 1u);
    EXPECT_EQ(record.modules[0].memory.base, 0x80'0000u);
    EXPECT_EQ(record.modules[0].memory.size, 0x1000u);
    EXPECT_STREQ(record.modules[0].name, "initrd");
    EXPECT_EQ(record.unkept_modules.size, 0u);

    ASSERT_NE(record.rsdp, nullptr);
    EXPECT_EQ(record.rsdp_size, 36u);
    EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(record.rsdp), 8), "RSD PTR ");

    EXPECT_EQ(record.kernel_image.base, kImage.base);
    EXPECT_EQ(record.kernel_image.size, kImage.size);
    EXPECT_EQ(record.boot_information.base, kBootInformation.base);
    EXPECT_EQ(record.boot_information.size, kBootInformation.size);
}

TEST(BootRecord, WhatTheLoaderLeftOutIsAbsent) {
    const auto mbi = Mbi{}.build();
    const boot::BootRecord record = record_of(mbi);
    EXPECT_EQ(record.loader_name, nullptr);
    EXPECT_EQ(record.command_line, nullptr);
    EXPECT_FALSE(record.has_memory_map);
    EXPECT_EQ(record.memory_map.count(), 0u);
    EXPECT_FALSE(record.has_framebuffer);
    EXPECT_EQ(record.module_count, 0u);
    EXPECT_EQ(record.rsdp, nullptr);
}

// Entries larger than 24 bytes (a later spec version) are read by their stride.
TEST(BootRecord, MemoryMapIsReadInPlaceByEntrySize) {
    const auto mbi = Mbi{}.memory_map({{0x10'0000, 0x1000, 1}, {0x20'0000, 0x2000, 3}}, 40).build();
    const boot::BootRecord record = record_of(mbi);
    ASSERT_EQ(record.memory_map.count(), 2u);
    EXPECT_EQ(record.memory_map.region(1).base, 0x20'0000u);
    EXPECT_EQ(record.memory_map.region(1).length, 0x2000u);
    EXPECT_FALSE(record.memory_map.region(1).usable);
    EXPECT_TRUE(record.memory_map.region(1).acpi);  // type 3: ACPI reclaimable
    EXPECT_FALSE(record.memory_map.region(0).acpi);
}

TEST(BootRecord, TextModeAndTheOldRsdp) {
    const auto mbi = Mbi{}.framebuffer(0xB8000, 160, 80, 25, 16, 2, {}).tag(14, std::vector<uint8_t>(20, 0)).build();
    const boot::BootRecord record = record_of(mbi);
    EXPECT_EQ(record.framebuffer.kind, boot::FramebufferKind::EgaText);
    EXPECT_EQ(record.framebuffer.width, 80u);
    EXPECT_EQ(record.rsdp_size, 20u);
}

TEST(BootRecord, ModulesPastTheKeptOnesLeaveTheirRange) {
    Mbi builder;
    for (uint32_t i = 0; i < boot::kMaxModules + 2; ++i)
        builder.module(0x100'0000 + i * 0x1000, 0x100'0000 + i * 0x1000 + 10, "m");
    const auto mbi = builder.build();
    const boot::BootRecord record = record_of(mbi);
    EXPECT_EQ(record.module_count, boot::kMaxModules + 2);
    EXPECT_EQ(record.modules[boot::kMaxModules - 1].memory.base, 0x100'0000u + (boot::kMaxModules - 1) * 0x1000);
    EXPECT_EQ(record.unkept_modules.base, 0x100'0000u + boot::kMaxModules * 0x1000);
    EXPECT_EQ(record.unkept_modules.size, 0x1000u + 10);
}

// What GRUB really passed (tests/data): the record agrees with the parser.
TEST(BootRecord, RealCapturesConvert) {
    for (const char* name : {"mbi-bios.bin", "mbi-uefi.bin"}) {
        std::ifstream file(std::string(MINK_TEST_DATA_DIR) + "/" + name, std::ios::binary);
        ASSERT_TRUE(file) << name << " is missing: see tests/data/README.md";
        const std::vector<char> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
        std::vector<uint64_t> mbi((bytes.size() + 7) / 8);
        std::memcpy(mbi.data(), bytes.data(), bytes.size());
        const ErrorOr<multiboot::BootInfo> parsed = multiboot::parse_boot_info(mbi.data(), bytes.size());
        ASSERT_FALSE(parsed.is_error()) << name;
        const boot::BootRecord record = record_of(mbi.data(), bytes.size());
        EXPECT_EQ(std::string_view(record.loader_name, 4), "GRUB") << name;
        ASSERT_EQ(record.memory_map.count(), parsed->memory_map_entries) << name;
        uint64_t usable = 0;
        for (size_t i = 0; i < record.memory_map.count(); ++i) {
            const boot::MemoryRegion region = record.memory_map.region(i);
            EXPECT_EQ(region.base, parsed->memory_map.region(i).base) << name;
            if (region.usable) usable += region.length;
        }
        EXPECT_EQ(usable, record.usable_memory_bytes) << name;
        EXPECT_EQ(record.has_framebuffer, parsed->has_framebuffer) << name;
        EXPECT_EQ(record.rsdp != nullptr, parsed->has_acpi_rsdp) << name;
    }
}
