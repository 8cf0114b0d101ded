// Host tests for the Multiboot2 parser: crafted blobs for every malformed shape we guard against, plus real captures.
#include "multiboot/multiboot2.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#ifndef MINK_TEST_DATA_DIR
#error "define MINK_TEST_DATA_DIR as a string literal naming tests/data, e.g. -DMINK_TEST_DATA_DIR=\"/path/tests/data\""
#endif

namespace kernel {
// Lets failing expectations print "tag size below 8" instead of a byte dump.
void PrintTo(Error error, std::ostream* out) {
    *out << to_string(error);
}
}  // namespace kernel

namespace {

using namespace kernel::multiboot;
using kernel::Error;

// The parser's answer as the expectations read it: the error (none when the
// information parsed) and the information itself.
struct ParseResult {
    std::optional<Error> error;
    BootInfo info;
};
const std::optional<Error> kNoError;

ParseResult parse_result(const void* mbi, size_t available_bytes) {
    const kernel::ErrorOr<BootInfo> result = parse_boot_info(mbi, available_bytes);
    if (result.is_error()) return {result.error(), {}};
    return {kNoError, *result};
}

constexpr uint64_t kGiB = 1ull << 30;
constexpr uint32_t kReservedMemory = 2;

// Little-endian byte sink for tag payloads.
class Payload {
public:
    Payload& u8(uint8_t value) { return append(&value, 1); }
    Payload& u16(uint16_t value) { return append(&value, 2); }
    Payload& u32(uint32_t value) { return append(&value, 4); }
    Payload& u64(uint64_t value) { return append(&value, 8); }
    Payload& zeros(size_t count) {
        m_bytes.insert(m_bytes.end(), count, 0);
        return *this;
    }
    Payload& text(std::string_view value, bool terminate = true) {
        m_bytes.insert(m_bytes.end(), value.begin(), value.end());
        return terminate ? u8(0) : *this;
    }
    const std::vector<uint8_t>& bytes() const { return m_bytes; }

private:
    Payload& append(const void* value, size_t size) {
        auto* first = static_cast<const uint8_t*>(value);
        m_bytes.insert(m_bytes.end(), first, first + size);
        return *this;
    }
    std::vector<uint8_t> m_bytes;
};

// An MBI in heap storage of exactly its length, so ASan flags any read past the end.
class Blob {
public:
    explicit Blob(std::vector<uint8_t> bytes) : m_bytes(std::move(bytes)) {
        // operator new gives at least 16-byte alignment; the parser demands 8.
        EXPECT_EQ(reinterpret_cast<uintptr_t>(m_bytes.data()) % kInfoAlignment, 0u);
    }
    const uint8_t* data() const { return m_bytes.data(); }
    size_t size() const { return m_bytes.size(); }
    ParseResult parse() const { return parse_result(data(), size()); }

private:
    std::vector<uint8_t> m_bytes;
};

// Appends tags with spec padding; sizes can be overridden to forge malformed tags.
class MbiBuilder {
public:
    MbiBuilder() { m_bytes.resize(sizeof(InfoHeader), 0); }

    MbiBuilder& tag(uint32_t type, const Payload& payload = {}) {
        return raw_tag(type, static_cast<uint32_t>(sizeof(TagHeader) + payload.bytes().size()), payload);
    }
    MbiBuilder& tag(TagType type, const Payload& payload = {}) { return tag(static_cast<uint32_t>(type), payload); }
    MbiBuilder& raw_tag(uint32_t type, uint32_t declared_size, const Payload& payload = {}) {
        Payload header;
        header.u32(type).u32(declared_size);
        m_bytes.insert(m_bytes.end(), header.bytes().begin(), header.bytes().end());
        m_bytes.insert(m_bytes.end(), payload.bytes().begin(), payload.bytes().end());
        m_bytes.resize((m_bytes.size() + 7) & ~size_t{7}, 0);
        return *this;
    }
    MbiBuilder& string_tag(TagType type, std::string_view value, bool terminate = true) {
        return tag(type, Payload{}.text(value, terminate));
    }
    MbiBuilder& memory_map(const std::vector<MemoryRegion>& regions, uint32_t entry_size = 24) {
        Payload payload;
        payload.u32(entry_size).u32(0);
        for (const MemoryRegion& region : regions) {
            payload.u64(region.base).u64(region.length).u32(region.type).u32(0);
            payload.zeros(entry_size > 24 ? entry_size - 24 : 0);
        }
        return tag(TagType::MemoryMap, payload);
    }
    MbiBuilder& module(uint32_t start, uint32_t end, std::string_view name) {
        return tag(TagType::Module, Payload{}.u32(start).u32(end).text(name));
    }
    MbiBuilder& end() { return raw_tag(0, sizeof(TagHeader)); }
    MbiBuilder& bytes(size_t count, uint8_t value) {
        m_bytes.insert(m_bytes.end(), count, value);
        return *this;
    }

    // total_size defaults to the bytes written; buffer_size defaults to total_size.
    Blob build(std::optional<uint32_t> total_size = {}, std::optional<size_t> buffer_size = {}) const {
        std::vector<uint8_t> bytes = m_bytes;
        uint32_t total = total_size.value_or(static_cast<uint32_t>(bytes.size()));
        bytes.resize(buffer_size.value_or(bytes.size()), 0);
        __builtin_memcpy(bytes.data(), &total, sizeof(total));
        return Blob(std::move(bytes));
    }

private:
    std::vector<uint8_t> m_bytes;
};

Payload framebuffer_common(uint64_t address, uint32_t pitch, uint32_t width, uint32_t height, uint8_t bpp,
                           uint8_t type) {
    return Payload{}.u64(address).u32(pitch).u32(width).u32(height).u8(bpp).u8(type).u16(0);
}

// The blob travels with the result because the result points into it.
struct Parsed {
    Blob blob;
    ParseResult result;
};

Parsed parse(const MbiBuilder& builder) {
    Blob blob = builder.build();
    ParseResult result = blob.parse();
    // Moving the vector keeps its heap buffer, so the result's pointers stay valid.
    return {std::move(blob), result};
}

std::optional<Error> parse_error(const MbiBuilder& builder) {
    return builder.build().parse().error;
}

std::optional<std::vector<uint8_t>> load_test_data(const char* name) {
    std::ifstream file(std::string(MINK_TEST_DATA_DIR) + "/" + name, std::ios::binary);
    if (!file) {
        return std::nullopt;
    }
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

// ---- Header and framing ----

TEST(Multiboot2, NullPointerRejected) {
    EXPECT_EQ(parse_result(nullptr, 64).error, Error::MultibootNullPointer);
}

TEST(Multiboot2, MisalignedPointerRejected) {
    Blob blob = MbiBuilder{}.end().build({}, 64);
    EXPECT_EQ(parse_result(blob.data() + 4, 32).error, Error::MultibootMisaligned);
}

TEST(Multiboot2, BufferSmallerThanHeaderRejected) {
    Blob blob = MbiBuilder{}.end().build();
    EXPECT_EQ(parse_result(blob.data(), 7).error, Error::MultibootBufferTooSmall);
}

TEST(Multiboot2, TotalSizeBelowSixteenRejected) {
    EXPECT_EQ(MbiBuilder{}.end().build(15).parse().error, Error::MultibootTotalSizeTooSmall);
    EXPECT_EQ(MbiBuilder{}.end().build(0).parse().error, Error::MultibootTotalSizeTooSmall);
}

TEST(Multiboot2, TotalSizeBeyondBufferRejected) {
    EXPECT_EQ(MbiBuilder{}.end().build(24).parse().error, Error::MultibootTotalSizeExceedsBuffer);
    EXPECT_EQ(MbiBuilder{}.end().build(UINT32_MAX).parse().error, Error::MultibootTotalSizeExceedsBuffer);
}

TEST(Multiboot2, MinimalMbiWithOnlyEndTagAccepted) {
    auto [blob, result] = parse(MbiBuilder{}.end());
    ASSERT_EQ(result.error, kNoError);
    EXPECT_EQ(result.info.tag_count, 0u);
    EXPECT_FALSE(result.info.has_command_line || result.info.has_loader_name || result.info.has_memory_map ||
                 result.info.has_basic_meminfo || result.info.has_framebuffer);
}

TEST(Multiboot2, ReservedHeaderFieldIgnored) {
    Blob blob = MbiBuilder{}.end().build();
    std::vector<uint8_t> bytes(blob.data(), blob.data() + blob.size());
    bytes[4] = 0xAB;
    bytes[7] = 0xCD;
    EXPECT_EQ(Blob(bytes).parse().error, kNoError);
}

TEST(Multiboot2, TagSizeZeroRejected) {
    EXPECT_EQ(parse_error(MbiBuilder{}.raw_tag(99, 0).end()), Error::MultibootTagTooShort);
}

TEST(Multiboot2, TagSizeSevenRejected) {
    EXPECT_EQ(parse_error(MbiBuilder{}.raw_tag(99, 7).end()), Error::MultibootTagTooShort);
}

TEST(Multiboot2, TagOverrunningEndRejected) {
    EXPECT_EQ(parse_error(MbiBuilder{}.raw_tag(99, 64).end()), Error::MultibootTagOverrunsEnd);
}

TEST(Multiboot2, TagSizeNearUint32MaxRejected) {
    EXPECT_EQ(parse_error(MbiBuilder{}.raw_tag(99, UINT32_MAX).end()), Error::MultibootTagOverrunsEnd);
    EXPECT_EQ(parse_error(MbiBuilder{}.raw_tag(99, UINT32_MAX - 6).end()), Error::MultibootTagOverrunsEnd);
}

TEST(Multiboot2, MissingEndTagRejected) {
    EXPECT_EQ(parse_error(MbiBuilder{}.tag(99, Payload{}.zeros(8))), Error::MultibootMissingEndTag);
    EXPECT_EQ(parse_error(MbiBuilder{}.string_tag(TagType::CommandLine, "x")), Error::MultibootMissingEndTag);
}

TEST(Multiboot2, PaddingRunningPastTotalSizeMeansNoEndTag) {
    // A 9-byte tag pads to 16; cutting total_size inside that padding leaves no room for an end tag.
    Blob blob = MbiBuilder{}.string_tag(TagType::CommandLine, "").end().build(8 + 12, 32);
    EXPECT_EQ(blob.parse().error, Error::MultibootMissingEndTag);
}

TEST(Multiboot2, EndTagSizeSixteenRejected) {
    EXPECT_EQ(parse_error(MbiBuilder{}.raw_tag(0, 16, Payload{}.zeros(8))), Error::MultibootBadEndTag);
}

TEST(Multiboot2, EndTagSizeZeroRejected) {
    EXPECT_EQ(parse_error(MbiBuilder{}.raw_tag(0, 0)), Error::MultibootBadEndTag);
}

TEST(Multiboot2, TrailingBytesAfterEndTagIgnored) {
    auto [blob, result] = parse(MbiBuilder{}.end().bytes(24, 0xEE).raw_tag(99, 0));
    EXPECT_EQ(result.error, kNoError);
}

TEST(Multiboot2, OddTagSizeIsPaddedToNextTag) {
    auto [blob, result] = parse(MbiBuilder{}.tag(99, Payload{}.u8(1)).string_tag(TagType::CommandLine, "ok").end());
    ASSERT_EQ(result.error, kNoError);
    EXPECT_EQ(std::string_view(result.info.command_line.data), "ok");
}

// ---- Strings ----

TEST(Multiboot2, UnterminatedCommandLineRejected) {
    EXPECT_EQ(parse_error(MbiBuilder{}.string_tag(TagType::CommandLine, "abcdefgh", false).end()),
              Error::MultibootStringNotTerminated);
    EXPECT_EQ(parse_error(MbiBuilder{}.tag(TagType::CommandLine).end()), Error::MultibootStringNotTerminated);
}

TEST(Multiboot2, UnterminatedLoaderNameRejected) {
    EXPECT_EQ(parse_error(MbiBuilder{}.string_tag(TagType::BootLoaderName, "GRUB", false).end()),
              Error::MultibootStringNotTerminated);
}

TEST(Multiboot2, NulInPaddingDoesNotTerminateString) {
    // The padding after a 12-byte tag is zero, but it is outside the tag and must not count.
    EXPECT_EQ(parse_error(MbiBuilder{}.string_tag(TagType::CommandLine, "abcd", false).end()),
              Error::MultibootStringNotTerminated);
}

TEST(Multiboot2, EmptyStringTagsAccepted) {
    auto [blob, result] =
        parse(MbiBuilder{}.string_tag(TagType::CommandLine, "").string_tag(TagType::BootLoaderName, "").end());
    ASSERT_EQ(result.error, kNoError);
    EXPECT_TRUE(result.info.has_command_line);
    EXPECT_EQ(result.info.command_line.length, 0u);
    EXPECT_EQ(result.info.command_line.data[0], '\0');
    EXPECT_TRUE(result.info.has_loader_name);
    EXPECT_EQ(result.info.loader_name.length, 0u);
}

TEST(Multiboot2, StringEndsAtFirstNul) {
    auto [blob, result] = parse(MbiBuilder{}.tag(TagType::CommandLine, Payload{}.text("quiet").text("junk")).end());
    ASSERT_EQ(result.error, kNoError);
    EXPECT_EQ(std::string_view(result.info.command_line.data, result.info.command_line.length), "quiet");
}

// ---- Memory map ----

TEST(Multiboot2, MemoryMapEntrySizeZeroRejected) {
    EXPECT_EQ(parse_error(MbiBuilder{}.tag(TagType::MemoryMap, Payload{}.u32(0).u32(0)).end()),
              Error::MultibootMemoryMapEntrySizeTooSmall);
}

TEST(Multiboot2, MemoryMapEntrySizeEightRejected) {
    EXPECT_EQ(parse_error(MbiBuilder{}.tag(TagType::MemoryMap, Payload{}.u32(8).u32(0).zeros(16)).end()),
              Error::MultibootMemoryMapEntrySizeTooSmall);
}

TEST(Multiboot2, MemoryMapEntrySizeNotMultipleOfEightRejected) {
    EXPECT_EQ(parse_error(MbiBuilder{}.memory_map({{0, 4096, kMemoryAvailable}}, 28).end()),
              Error::MultibootMemoryMapEntrySizeMisaligned);
}

TEST(Multiboot2, MemoryMapTagTooShortRejected) {
    EXPECT_EQ(parse_error(MbiBuilder{}.tag(TagType::MemoryMap, Payload{}.u32(24)).end()),
              Error::MultibootMemoryMapTagTooShort);
}

TEST(Multiboot2, MemoryMapPartialEntryRejected) {
    Payload payload;
    payload.u32(24).u32(0).u64(0).u64(4096).u32(1).u32(0).u64(8192);  // One entry and a third of another.
    EXPECT_EQ(parse_error(MbiBuilder{}.tag(TagType::MemoryMap, payload).end()),
              Error::MultibootMemoryMapEntriesOverrun);
}

TEST(Multiboot2, MemoryAboveFourGibSummed) {
    auto [blob, result] = parse(MbiBuilder{}
                                    .memory_map({{0, 640 * 1024, kMemoryAvailable},
                                                 {0x100000, 3 * kGiB - 640 * 1024, kMemoryAvailable},
                                                 {4 * kGiB, 5 * kGiB, kMemoryAvailable}})
                                    .end());
    ASSERT_EQ(result.error, kNoError);
    EXPECT_EQ(result.info.usable_memory_bytes, 8 * kGiB);
    EXPECT_EQ(result.info.memory_map_entries, 3u);
}

TEST(Multiboot2, UsableMemorySaturates) {
    auto [blob, result] = parse(
        MbiBuilder{}.memory_map({{0, UINT64_MAX, kMemoryAvailable}, {0, UINT64_MAX / 2, kMemoryAvailable}}).end());
    ASSERT_EQ(result.error, kNoError);
    EXPECT_EQ(result.info.usable_memory_bytes, UINT64_MAX);
}

TEST(Multiboot2, ReservedRegionsNotCounted) {
    auto [blob, result] = parse(MbiBuilder{}
                                    .memory_map({{0, 0x9F000, kMemoryAvailable},
                                                 {0x9F000, 0x61000, kReservedMemory},
                                                 {0x100000, 0x7EE0000, kMemoryAvailable},
                                                 {0xFEFFC000, 0x4000, kReservedMemory},
                                                 {0x100000000, kGiB, 3 /* ACPI reclaimable */}})
                                    .end());
    ASSERT_EQ(result.error, kNoError);
    EXPECT_EQ(result.info.usable_memory_bytes, 0x9F000u + 0x7EE0000u);
    EXPECT_EQ(result.info.memory_map_entries, 5u);
}

TEST(Multiboot2, MemoryRegionWrappingPast64BitsRejected) {
    EXPECT_EQ(parse_error(MbiBuilder{}.memory_map({{UINT64_MAX - 10, 20, kReservedMemory}}).end()),
              Error::MultibootMemoryRegionWraps);
}

TEST(Multiboot2, ForEachMemoryRegionHonoursLargerEntrySize) {
    std::vector<MemoryRegion> regions = {
        {0, 0x1000, kMemoryAvailable}, {0x1000, 0x2000, kReservedMemory}, {8 * kGiB, kGiB, kMemoryAvailable}};
    auto [blob, result] = parse(MbiBuilder{}.memory_map(regions, 40).end());
    ASSERT_EQ(result.error, kNoError);
    std::vector<MemoryRegion> seen;
    for_each_memory_region(result.info, [&](const MemoryRegion& region) { seen.push_back(region); });
    ASSERT_EQ(seen.size(), regions.size());
    for (size_t i = 0; i < regions.size(); ++i) {
        EXPECT_EQ(seen[i].base, regions[i].base);
        EXPECT_EQ(seen[i].length, regions[i].length);
        EXPECT_EQ(seen[i].type, regions[i].type);
    }
    EXPECT_EQ(result.info.memory_map.region(regions.size()).length, 0u);
}

// ---- Framebuffer ----

TEST(Multiboot2, FramebufferEgaText) {
    auto [blob, result] =
        parse(MbiBuilder{}.tag(TagType::Framebuffer, framebuffer_common(0xB8000, 160, 80, 25, 16, 2)).end());
    ASSERT_EQ(result.error, kNoError);
    ASSERT_TRUE(result.info.has_framebuffer);
    EXPECT_EQ(result.info.framebuffer.type, FramebufferType::EgaText);
    EXPECT_EQ(result.info.framebuffer.address, 0xB8000u);
    EXPECT_EQ(result.info.framebuffer.width, 80u);
    EXPECT_EQ(result.info.framebuffer.height, 25u);
}

TEST(Multiboot2, FramebufferRgb32BppFields) {
    Payload payload = framebuffer_common(0x1'FD00'0000, 4096, 1024, 768, 32, 1);
    payload.u8(16).u8(8).u8(8).u8(8).u8(0).u8(8);
    auto [blob, result] = parse(MbiBuilder{}.tag(TagType::Framebuffer, payload).end());
    ASSERT_EQ(result.error, kNoError);
    const Framebuffer& fb = result.info.framebuffer;
    EXPECT_EQ(fb.type, FramebufferType::Rgb);
    EXPECT_EQ(fb.address, 0x1'FD00'0000u);
    EXPECT_EQ(fb.pitch, 4096u);
    EXPECT_EQ(fb.bpp, 32u);
    EXPECT_EQ(fb.red_position, 16u);
    EXPECT_EQ(fb.green_position, 8u);
    EXPECT_EQ(fb.blue_position, 0u);
    EXPECT_EQ(fb.red_size + fb.green_size + fb.blue_size, 24);
}

TEST(Multiboot2, FramebufferTagTooShortRejected) {
    Payload payload = Payload{}.u64(0xB8000).u32(160).u32(80);
    EXPECT_EQ(parse_error(MbiBuilder{}.tag(TagType::Framebuffer, payload).end()),
              Error::MultibootFramebufferTagTooShort);
}

TEST(Multiboot2, FramebufferRgbWithoutColourFieldsRejected) {
    EXPECT_EQ(parse_error(MbiBuilder{}.tag(TagType::Framebuffer, framebuffer_common(0, 0, 0, 0, 32, 1).u8(16)).end()),
              Error::MultibootFramebufferTagTooShort);
}

TEST(Multiboot2, FramebufferIndexedPaletteInBounds) {
    Payload payload = framebuffer_common(0xA0000, 320, 320, 200, 8, 0).u16(4).zeros(12);
    auto [blob, result] = parse(MbiBuilder{}.tag(TagType::Framebuffer, payload).end());
    ASSERT_EQ(result.error, kNoError);
    EXPECT_EQ(result.info.framebuffer.type, FramebufferType::Indexed);
    EXPECT_EQ(result.info.framebuffer.palette_colors, 4u);
}

TEST(Multiboot2, FramebufferIndexedPaletteOverrunRejected) {
    Payload payload = framebuffer_common(0xA0000, 320, 320, 200, 8, 0).u16(256).zeros(3 * 16);
    EXPECT_EQ(parse_error(MbiBuilder{}.tag(TagType::Framebuffer, payload).end()),
              Error::MultibootFramebufferPaletteOverrun);
}

TEST(Multiboot2, FramebufferUnknownTypeRejected) {
    EXPECT_EQ(parse_error(MbiBuilder{}.tag(TagType::Framebuffer, framebuffer_common(0, 0, 0, 0, 32, 7).zeros(8)).end()),
              Error::MultibootFramebufferUnknownType);
}

// ---- Modules and basic meminfo ----

TEST(Multiboot2, ManyModulesCounted) {
    MbiBuilder builder;
    for (uint32_t i = 0; i < 200; ++i) {
        builder.module(0x200000 + i * 0x1000, 0x200000 + i * 0x1000 + 0x800, "mod" + std::to_string(i));
    }
    auto [blob, result] = parse(builder.end());
    ASSERT_EQ(result.error, kNoError);
    EXPECT_EQ(result.info.module_count, 200u);
    EXPECT_EQ(result.info.tag_count, 200u);
    EXPECT_EQ(result.info.modules[31].start, 0x200000u + 31 * 0x1000);
    // The modules past the kept ones still mark their memory as taken.
    EXPECT_EQ(result.info.unkept_modules.start, 0x200000u + 32 * 0x1000);
    EXPECT_EQ(result.info.unkept_modules.end, 0x200000u + 199 * 0x1000 + 0x800);
}

TEST(Multiboot2, UnkeptModulesSpanTheirLowestAndHighest) {
    MbiBuilder builder;
    for (uint32_t i = 0; i < kMaxModules; ++i) builder.module(0x100000, 0x100001, "kept");
    builder.module(0x900000, 0x900400, "high").module(0x500000, 0x500100, "low").module(0x600000, 0x600000, "empty");
    auto [blob, result] = parse(builder.end());
    ASSERT_EQ(result.error, kNoError);
    EXPECT_EQ(result.info.unkept_modules.start, 0x500000u);
    EXPECT_EQ(result.info.unkept_modules.end, 0x900400u);
}

TEST(Multiboot2, NoUnkeptModulesWhenAllAreKept) {
    auto [blob, result] = parse(MbiBuilder{}.module(0x1000, 0x2000, "m").end());
    ASSERT_EQ(result.error, kNoError);
    EXPECT_EQ(result.info.unkept_modules.start, result.info.unkept_modules.end);
}

TEST(Multiboot2, ModuleNameUnterminatedRejected) {
    EXPECT_EQ(parse_error(MbiBuilder{}.tag(TagType::Module, Payload{}.u32(0).u32(16).text("initrd", false)).end()),
              Error::MultibootStringNotTerminated);
}

TEST(Multiboot2, ModuleTagTooShortRejected) {
    EXPECT_EQ(parse_error(MbiBuilder{}.tag(TagType::Module, Payload{}.u32(0)).end()),
              Error::MultibootModuleTagTooShort);
}

TEST(Multiboot2, ModuleEndBeforeStartRejected) {
    EXPECT_EQ(parse_error(MbiBuilder{}.module(0x2000, 0x1000, "x").end()), Error::MultibootModuleBadRange);
}

TEST(Multiboot2, BasicMemInfoDecoded) {
    auto [blob, result] = parse(MbiBuilder{}.tag(TagType::BasicMemInfo, Payload{}.u32(639).u32(130048)).end());
    ASSERT_EQ(result.error, kNoError);
    ASSERT_TRUE(result.info.has_basic_meminfo);
    EXPECT_EQ(result.info.mem_lower_kib, 639u);
    EXPECT_EQ(result.info.mem_upper_kib, 130048u);
}

TEST(Multiboot2, BasicMemInfoTooShortRejected) {
    EXPECT_EQ(parse_error(MbiBuilder{}.tag(TagType::BasicMemInfo, Payload{}.u32(639)).end()),
              Error::MultibootBasicMemInfoTagTooShort);
}

// ---- Tag order, unknown and duplicate tags ----

TEST(Multiboot2, UnknownTagTypesSkipped) {
    auto [blob, result] = parse(MbiBuilder{}
                                    .tag(TagType::Smbios, Payload{}.zeros(40))
                                    .tag(0xDEADBEEF, Payload{}.zeros(3))
                                    .tag(TagType::BootDevice, Payload{}.u32(0x80).u32(1).u32(UINT32_MAX))
                                    .string_tag(TagType::BootLoaderName, "GRUB 2.06")
                                    .end());
    ASSERT_EQ(result.error, kNoError);
    EXPECT_EQ(result.info.tag_count, 4u);
    EXPECT_EQ(std::string_view(result.info.loader_name.data), "GRUB 2.06");
}

TEST(Multiboot2, TagsInUnusualOrder) {
    auto [blob, result] = parse(MbiBuilder{}
                                    .memory_map({{0x100000, kGiB, kMemoryAvailable}})
                                    .tag(TagType::Framebuffer, framebuffer_common(0xB8000, 160, 80, 25, 16, 2))
                                    .module(0x1000, 0x2000, "m")
                                    .string_tag(TagType::CommandLine, "console=serial")
                                    .tag(TagType::BasicMemInfo, Payload{}.u32(1).u32(2))
                                    .string_tag(TagType::BootLoaderName, "loader")
                                    .end());
    ASSERT_EQ(result.error, kNoError);
    const BootInfo& info = result.info;
    EXPECT_TRUE(info.has_memory_map && info.has_framebuffer && info.has_command_line && info.has_basic_meminfo &&
                info.has_loader_name);
    EXPECT_EQ(info.usable_memory_bytes, kGiB);
    EXPECT_EQ(std::string_view(info.command_line.data, info.command_line.length), "console=serial");
    EXPECT_EQ(info.module_count, 1u);
}

TEST(Multiboot2, DuplicateTagsFirstWins) {
    auto [blob, result] = parse(MbiBuilder{}
                                    .string_tag(TagType::CommandLine, "first")
                                    .memory_map({{0, kGiB, kMemoryAvailable}})
                                    .string_tag(TagType::CommandLine, "second")
                                    .memory_map({{0, 2 * kGiB, kMemoryAvailable}, {0, kGiB, kMemoryAvailable}})
                                    .end());
    ASSERT_EQ(result.error, kNoError);
    EXPECT_EQ(std::string_view(result.info.command_line.data), "first");
    EXPECT_EQ(result.info.usable_memory_bytes, kGiB);
    EXPECT_EQ(result.info.memory_map_entries, 1u);
    EXPECT_EQ(result.info.memory_map.count(), 1u);
}

TEST(Multiboot2, MalformedDuplicateStillRejected) {
    EXPECT_EQ(
        parse_error(
            MbiBuilder{}.string_tag(TagType::CommandLine, "good").string_tag(TagType::CommandLine, "bad", false).end()),
        Error::MultibootStringNotTerminated);
}

// ---- ACPI RSDP (tags 14 and 15) ----

TEST(Multiboot2, OldRsdpKept) {
    auto [blob, result] = parse(MbiBuilder{}.tag(TagType::AcpiOldRsdp, Payload{}.zeros(20)).end());
    ASSERT_EQ(result.error, kNoError);
    ASSERT_TRUE(result.info.has_acpi_rsdp);
    EXPECT_FALSE(result.info.acpi_rsdp_is_new);
    EXPECT_EQ(result.info.acpi_rsdp_size, 20u);
}

TEST(Multiboot2, NewRsdpWinsInEitherOrder) {
    for (bool new_first : {false, true}) {
        MbiBuilder builder;
        if (new_first) builder.tag(TagType::AcpiNewRsdp, Payload{}.zeros(36));
        builder.tag(TagType::AcpiOldRsdp, Payload{}.zeros(20));
        if (!new_first) builder.tag(TagType::AcpiNewRsdp, Payload{}.zeros(36));
        auto [blob, result] = parse(builder.end());
        ASSERT_EQ(result.error, kNoError);
        EXPECT_TRUE(result.info.acpi_rsdp_is_new) << new_first;
        EXPECT_EQ(result.info.acpi_rsdp_size, 36u);
    }
}

TEST(Multiboot2, EmptyRsdpTagHasSizeZero) {
    auto [blob, result] = parse(MbiBuilder{}.tag(TagType::AcpiNewRsdp, Payload{}).end());
    ASSERT_EQ(result.error, kNoError);
    EXPECT_TRUE(result.info.has_acpi_rsdp);
    EXPECT_EQ(result.info.acpi_rsdp_size, 0u);
}

// ---- Error names ----

TEST(Multiboot2, ToStringNamesEveryError) {
    std::vector<std::string> names;
    for (int value = static_cast<int>(Error::MultibootNullPointer);
         value <= static_cast<int>(Error::MultibootFramebufferPaletteOverrun); ++value) {
        const char* name = to_string(static_cast<Error>(value));
        ASSERT_NE(name, nullptr);
        EXPECT_STRNE(name, "unknown error") << "value " << value;
        for (const std::string& earlier : names) {
            EXPECT_NE(earlier, name);
        }
        names.emplace_back(name);
    }
    EXPECT_STREQ(to_string(static_cast<Error>(255)), "unknown error");
}

// ---- Captures from real boots (tests/data/*.bin, made by tools/run.py capture-mbi) ----

BootInfo parse_real_boot(const char* name) {
    std::optional<std::vector<uint8_t>> bytes = load_test_data(name);
    if (!bytes) {
        ADD_FAILURE() << MINK_TEST_DATA_DIR "/" << name << " is missing: see tests/data/README.md";
        return {};
    }
    Blob blob(std::move(*bytes));
    ParseResult result = blob.parse();
    EXPECT_EQ(result.error, kNoError);
    EXPECT_TRUE(result.info.has_loader_name);
    EXPECT_EQ(std::string_view(result.info.loader_name.data, 4), "GRUB");
    EXPECT_TRUE(result.info.has_memory_map);
    EXPECT_GT(result.info.memory_map_entries, 0u);
    // Captured with QEMU's default 128 MiB: most of it is usable.
    EXPECT_GT(result.info.usable_memory_bytes, 100ull << 20);
    EXPECT_LE(result.info.usable_memory_bytes, 128ull << 20);
    EXPECT_TRUE(result.info.has_framebuffer);
    // GRUB copies the firmware's RSDP in whole (the views die with the blob).
    if (result.info.has_acpi_rsdp) {
        EXPECT_GE(result.info.acpi_rsdp_size, 20u);
        EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(result.info.acpi_rsdp), 8), "RSD PTR ");
    }
    return result.info;
}

TEST(Multiboot2RealBoot, SeaBiosCaptureHasVgaTextMode) {
    const BootInfo info = parse_real_boot("mbi-bios.bin");
    EXPECT_EQ(info.framebuffer.type, FramebufferType::EgaText);
    EXPECT_EQ(info.framebuffer.address, 0xB8000u);
    EXPECT_EQ(info.framebuffer.width, 80u);
    EXPECT_EQ(info.framebuffer.height, 25u);
    EXPECT_EQ(info.framebuffer.pitch, 160u);
    EXPECT_TRUE(info.has_acpi_rsdp);
}

TEST(Multiboot2RealBoot, OvmfCaptureHasRgbFramebuffer) {
    const BootInfo info = parse_real_boot("mbi-uefi.bin");
    EXPECT_EQ(info.framebuffer.type, FramebufferType::Rgb);
    EXPECT_EQ(info.framebuffer.bpp, 32u);
    EXPECT_GE(info.framebuffer.pitch, info.framebuffer.width * 4);
    EXPECT_EQ(info.framebuffer.red_size, 8u);
    EXPECT_TRUE(info.has_acpi_rsdp);
    EXPECT_TRUE(info.acpi_rsdp_is_new);
}

}  // namespace
