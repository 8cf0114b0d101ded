// Host tests for the ELF64 parser: a small good executable and static PIE built here, then one broken copy
// for every refusal.
#include "proc/elf.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <ostream>
#include <vector>

namespace kernel {
// Lets failing expectations print "not x86-64" instead of a byte dump.
void PrintTo(Error error, std::ostream* out) {
    *out << to_string(error);
}
}  // namespace kernel

namespace {

using namespace kernel::proc;
using kernel::Error;

constexpr uint64_t kPage = 0x1000;
constexpr uint64_t kBase = 0x400000;  // where ld puts an ET_EXEC

// The program headers of the good file, in this order.
enum Header : size_t { kLoadHeaders, kLoadCode, kLoadData, kStack, kTls, kHeaderCount };

// An ELF file as fields; bytes() lays it out. The file is small: each segment's bytes follow the last, and
// each segment's address is its offset plus a page more than the one before (so they share no page).
struct ElfFile {
    ElfHeader header{};
    std::vector<ProgramHeader> headers;
    uint64_t size = 0;

    // Heap storage of exactly the file's size, so ASan flags any read past the end.
    std::unique_ptr<uint8_t[]> bytes() const {
        auto file = std::make_unique<uint8_t[]>(size);
        std::memset(file.get(), 0, size);
        auto put = [&](uint64_t offset, const void* data, size_t length) {
            if (offset < size) std::memcpy(file.get() + offset, data, std::min<uint64_t>(length, size - offset));
        };
        for (size_t i = 0; i < headers.size(); ++i)
            put(header.e_phoff + i * sizeof(ProgramHeader), &headers[i], sizeof(ProgramHeader));
        const uint8_t jump_to_self[] = {0xEB, 0xFE};
        put(headers.size() > kLoadCode ? headers[kLoadCode].p_offset : size, jump_to_self, sizeof(jump_to_self));
        put(0, &header, sizeof(header));  // last: misplaced program headers must not overwrite it
        return file;
    }
    kernel::ErrorOr<Executable> parse() const {
        const auto file = bytes();
        return parse_elf({file.get(), size});
    }
    std::optional<Error> error() const {
        const auto result = parse();
        return result.is_error() ? std::optional(result.error()) : std::nullopt;
    }
};

ProgramHeader segment(uint32_t type, uint32_t flags, uint64_t offset, uint64_t address, uint64_t file_size,
                      uint64_t memory_size, uint64_t alignment) {
    return {type, flags, offset, address, address, file_size, memory_size, alignment};
}

// Laid out as ld lays out a static program: the headers in a read-only segment, then code, then data with .bss
// and the TLS template in it; PT_GNU_STACK asks for a stack that is not executable.
ElfFile good_file(uint16_t type, uint64_t base) {
    ElfFile file;
    const uint8_t ident[16] = {0x7F, 'E', 'L', 'F', kClass64, kLittleEndian, kCurrentVersion};
    std::memcpy(file.header.e_ident, ident, sizeof(ident));
    file.header.e_type = type;
    file.header.e_machine = kMachineX86_64;
    file.header.e_version = kCurrentVersion;
    file.header.e_phoff = sizeof(ElfHeader);
    file.header.e_ehsize = sizeof(ElfHeader);
    file.header.e_phentsize = sizeof(ProgramHeader);
    file.header.e_phnum = kHeaderCount;
    const uint64_t headers_end = sizeof(ElfHeader) + kHeaderCount * sizeof(ProgramHeader);  // 0x158
    const uint64_t code = headers_end, data = code + 0x10;
    file.header.e_entry = base + kPage + code;
    file.headers = {
        segment(kSegmentLoad, kFlagRead, 0, base, headers_end, headers_end, kPage),
        segment(kSegmentLoad, kFlagRead | kFlagExecute, code, base + kPage + code, 0x10, 0x10, kPage),
        segment(kSegmentLoad, kFlagRead | kFlagWrite, data, base + 2 * kPage + data, 8, 0x100, kPage),
        segment(kSegmentGnuStack, kFlagRead | kFlagWrite, 0, 0, 0, 0, 16),
        segment(kSegmentTls, kFlagRead, data, base + 2 * kPage + data, 8, 0x10, 8),
    };
    file.size = data + 8;
    return file;
}

ElfFile good_executable() {
    return good_file(kTypeExecutable, kBase);
}
ElfFile good_pie() {
    return good_file(kTypeShared, 0);
}

TEST(Elf, AcceptsAStaticExecutable) {
    const auto result = good_executable().parse();
    ASSERT_FALSE(result.is_error()) << to_string(result.error());
    const Executable& program = result.value();
    EXPECT_FALSE(program.is_pie);
    EXPECT_EQ(program.entry, 0x401158u);
    ASSERT_EQ(program.segment_count, 3u);
    EXPECT_EQ(program.segments[0].address, kBase);
    EXPECT_FALSE(program.segments[0].writable || program.segments[0].executable);
    EXPECT_TRUE(program.segments[1].executable && !program.segments[1].writable);
    EXPECT_TRUE(program.segments[2].writable && !program.segments[2].executable);
    EXPECT_EQ(program.segments[2].file_offset, 0x168u);
    EXPECT_EQ(program.segments[2].file_size, 8u);
    EXPECT_EQ(program.segments[2].memory_size, 0x100u);
    EXPECT_EQ(program.program_headers_address, kBase + sizeof(ElfHeader));
    EXPECT_EQ(program.program_header_size, sizeof(ProgramHeader));
    EXPECT_EQ(program.program_header_count, kHeaderCount);
    EXPECT_TRUE(program.tls.present);
    EXPECT_EQ(program.tls.address, 0x402168u);
    EXPECT_EQ(program.tls.memory_size, 0x10u);
}

TEST(Elf, AcceptsAStaticPieWithAddressesFromZero) {
    const auto result = good_pie().parse();
    ASSERT_FALSE(result.is_error()) << to_string(result.error());
    EXPECT_TRUE(result->is_pie);
    EXPECT_EQ(result->segments[0].address, 0u);
    EXPECT_EQ(result->entry, 0x1158u);
    EXPECT_EQ(result->program_headers_address, sizeof(ElfHeader));
}

TEST(Elf, AcceptsAFileWithoutStackTlsOrLoadedHeaders) {
    ElfFile file = good_executable();
    file.headers.resize(kStack);
    file.header.e_phnum = kStack;
    file.headers[kLoadHeaders].p_filesz = file.headers[kLoadHeaders].p_memsz = 0x10;
    const auto result = file.parse();
    ASSERT_FALSE(result.is_error()) << to_string(result.error());
    EXPECT_FALSE(result->tls.present);
    EXPECT_EQ(result->program_headers_address, 0u);  // the loader must place a copy
}

TEST(Elf, SkipsAnEmptyLoadSegmentAndUnknownHeaders) {
    ElfFile file = good_executable();
    file.headers[kLoadHeaders].p_filesz = file.headers[kLoadHeaders].p_memsz = 0;
    file.headers[kStack].p_type = 4;  // PT_NOTE
    const auto result = file.parse();
    ASSERT_FALSE(result.is_error()) << to_string(result.error());
    EXPECT_EQ(result->segment_count, 2u);
}

// ---- The file header. ----

TEST(Elf, RefusesAFileShorterThanItsHeader) {
    ElfFile file = good_executable();
    file.size = sizeof(ElfHeader) - 1;
    EXPECT_EQ(file.error(), Error::ElfTooShort);
    file.size = 0;
    EXPECT_EQ(file.error(), Error::ElfTooShort);
}

TEST(Elf, RefusesWhatIsNotElf) {
    ElfFile file = good_executable();
    file.header.e_ident[1] = 'e';
    EXPECT_EQ(file.error(), Error::ElfBadMagic);
}

TEST(Elf, RefusesA32BitFile) {
    ElfFile file = good_executable();
    file.header.e_ident[kIdentClass] = 1;  // ELFCLASS32
    EXPECT_EQ(file.error(), Error::ElfNot64Bit);
}

TEST(Elf, RefusesABigEndianFile) {
    ElfFile file = good_executable();
    file.header.e_ident[kIdentData] = 2;  // ELFDATA2MSB
    EXPECT_EQ(file.error(), Error::ElfNotLittleEndian);
}

TEST(Elf, RefusesAnUnknownVersionInEitherPlace) {
    ElfFile file = good_executable();
    file.header.e_ident[kIdentVersion] = 2;
    EXPECT_EQ(file.error(), Error::ElfBadVersion);
    file = good_executable();
    file.header.e_version = 0;
    EXPECT_EQ(file.error(), Error::ElfBadVersion);
}

TEST(Elf, RefusesAnotherMachine) {
    ElfFile file = good_executable();
    file.header.e_machine = 183;  // EM_AARCH64
    EXPECT_EQ(file.error(), Error::ElfNotX86_64);
}

TEST(Elf, RefusesObjectFilesAndCoreDumps) {
    ElfFile file = good_executable();
    file.header.e_type = 1;  // ET_REL
    EXPECT_EQ(file.error(), Error::ElfNotExecutable);
    file.header.e_type = 4;  // ET_CORE
    EXPECT_EQ(file.error(), Error::ElfNotExecutable);
}

TEST(Elf, RefusesAnotherProgramHeaderSize) {
    ElfFile file = good_executable();
    file.header.e_phentsize = 32;
    EXPECT_EQ(file.error(), Error::ElfBadProgramHeaderSize);
}

TEST(Elf, RefusesProgramHeadersOutsideTheFile) {
    ElfFile file = good_executable();
    file.header.e_phoff = file.size - sizeof(ProgramHeader);
    EXPECT_EQ(file.error(), Error::ElfProgramHeadersOutsideFile);
    file.header.e_phoff = UINT64_MAX - 8;  // the end would wrap
    EXPECT_EQ(file.error(), Error::ElfProgramHeadersOutsideFile);
    file.header.e_phoff = 8;  // over the ELF header
    EXPECT_EQ(file.error(), Error::ElfProgramHeadersOutsideFile);
}

TEST(Elf, RefusesADynamicallyLinkedProgram) {
    ElfFile file = good_executable();
    file.headers[kStack] = segment(kSegmentInterpreter, kFlagRead, 0, 0, 1, 1, 1);
    EXPECT_EQ(file.error(), Error::ElfDynamicallyLinked);
}

TEST(Elf, RefusesAFileWithNothingToLoad) {
    ElfFile file = good_executable();
    file.header.e_phnum = 0;
    EXPECT_EQ(file.error(), Error::ElfNoLoadSegments);
}

TEST(Elf, RefusesMoreLoadSegmentsThanItKeeps) {
    ElfFile file = good_executable();
    file.headers.resize(kLoadCode + 1);
    for (uint64_t i = 0; i < kMaxLoadSegments; ++i) {
        const uint64_t address = kBase + (i + 2) * kPage;
        file.headers.push_back(segment(kSegmentLoad, kFlagRead, 0, address, 0, 1, kPage));
    }
    file.header.e_phnum = file.headers.size();
    file.size = sizeof(ElfHeader) + file.headers.size() * sizeof(ProgramHeader);
    EXPECT_EQ(file.error(), Error::ElfTooManySegments);
}

// ---- Each loadable segment. ----

TEST(Elf, RefusesASegmentLargerInTheFileThanInMemory) {
    ElfFile file = good_executable();
    file.headers[kLoadData].p_filesz = file.headers[kLoadData].p_memsz + 1;
    EXPECT_EQ(file.error(), Error::ElfSegmentFileSizeTooBig);
}

TEST(Elf, RefusesASegmentPastTheEndOfTheFile) {
    ElfFile file = good_executable();
    file.headers[kLoadData].p_filesz = 9;
    EXPECT_EQ(file.error(), Error::ElfSegmentOutsideFile);
    file = good_executable();
    file.headers[kLoadData].p_offset = UINT64_MAX - 4;  // offset + size would wrap
    file.headers[kLoadData].p_vaddr = UINT64_MAX - 4 - kPage + 1;
    EXPECT_EQ(file.error(), Error::ElfSegmentOutsideFile);
}

TEST(Elf, RefusesASegmentOutsideTheLowerHalf) {
    ElfFile file = good_executable();
    file.headers[kLoadData].p_vaddr = 0xFFFF'8000'0000'0168;  // the direct map
    EXPECT_EQ(file.error(), Error::ElfSegmentNotInUserSpace);
    file.headers[kLoadData].p_vaddr = kUserSpaceEnd - 0x98;  // straddles the end
    EXPECT_EQ(file.error(), Error::ElfSegmentNotInUserSpace);
    file.headers[kLoadData].p_vaddr = 0x168;
    file.headers[kLoadData].p_memsz = UINT64_MAX - 0x100;  // the end wraps
    EXPECT_EQ(file.error(), Error::ElfSegmentNotInUserSpace);
}

TEST(Elf, RefusesAnExecutableAtPageZeroButNotAPie) {
    ElfFile file = good_executable();
    file.headers[kLoadHeaders].p_vaddr = 0;
    EXPECT_EQ(file.error(), Error::ElfSegmentAtPageZero);
    EXPECT_EQ(good_pie().error(), std::nullopt);
}

TEST(Elf, RefusesAnAddressAndOffsetThatDisagreeModuloAPage) {
    ElfFile file = good_executable();
    file.headers[kLoadData].p_vaddr += 8;
    EXPECT_EQ(file.error(), Error::ElfSegmentMisaligned);
}

TEST(Elf, RefusesAnAlignmentThatIsNotAPowerOfTwoOrNotHonoured) {
    ElfFile file = good_executable();
    file.headers[kLoadData].p_align = 0x3000;
    EXPECT_EQ(file.error(), Error::ElfSegmentMisaligned);
    file.headers[kLoadData].p_align = 0x20'0000;  // 2 MiB: 0x402168 and 0x168 differ modulo it
    EXPECT_EQ(file.error(), Error::ElfSegmentMisaligned);
    file.headers[kLoadData].p_align = 0;  // no alignment asked; a page still holds
    EXPECT_EQ(file.error(), std::nullopt);
}

TEST(Elf, RefusesSegmentsThatSharePageOrAreOutOfOrder) {
    ElfFile file = good_executable();
    file.headers[kLoadData].p_vaddr -= kPage;  // in the code's page
    file.headers[kTls].p_vaddr -= kPage;
    EXPECT_EQ(file.error(), Error::ElfSegmentsOverlap);
    file = good_executable();
    std::swap(file.headers[kLoadCode], file.headers[kLoadData]);
    EXPECT_EQ(file.error(), Error::ElfSegmentsOverlap);
}

TEST(Elf, RefusesASegmentBothWritableAndExecutable) {
    ElfFile file = good_executable();
    file.headers[kLoadCode].p_flags |= kFlagWrite;
    EXPECT_EQ(file.error(), Error::ElfWritableAndExecutable);
}

// ---- The stack, TLS and the entry point. ----

TEST(Elf, RefusesAnExecutableStack) {
    ElfFile file = good_executable();
    file.headers[kStack].p_flags |= kFlagExecute;
    EXPECT_EQ(file.error(), Error::ElfExecutableStack);
}

TEST(Elf, RefusesATlsTemplateOutsideTheLoadedSegmentsOrMalformed) {
    ElfFile file = good_executable();
    file.headers[kTls].p_vaddr = 0x500000;
    EXPECT_EQ(file.error(), Error::ElfBadTls);
    file = good_executable();
    file.headers[kTls].p_filesz = 0x101;  // runs past the data segment's memory
    file.headers[kTls].p_memsz = 0x101;
    EXPECT_EQ(file.error(), Error::ElfBadTls);
    file = good_executable();
    file.headers[kTls].p_filesz = file.headers[kTls].p_memsz + 1;
    EXPECT_EQ(file.error(), Error::ElfBadTls);
    file = good_executable();
    file.headers[kTls].p_align = 24;
    EXPECT_EQ(file.error(), Error::ElfBadTls);
    file = good_executable();
    file.headers[kStack] = file.headers[kTls];  // two templates
    EXPECT_EQ(file.error(), Error::ElfBadTls);
}

TEST(Elf, RefusesAnEntryPointOutsideTheCode) {
    ElfFile file = good_executable();
    file.header.e_entry = file.headers[kLoadData].p_vaddr;  // data, not code
    EXPECT_EQ(file.error(), Error::ElfEntryNotExecutable);
    file.header.e_entry = file.headers[kLoadCode].p_vaddr + 0x10;  // just past the code
    EXPECT_EQ(file.error(), Error::ElfEntryNotExecutable);
    file.header.e_entry = 0;
    EXPECT_EQ(file.error(), Error::ElfEntryNotExecutable);
}

// ---- Real programs, as the host's linker makes them. ----

kernel::ErrorOr<Executable> parse_file(const char* path) {
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in) << path;
    const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    const auto file = std::make_unique<uint8_t[]>(bytes.size());
    std::memcpy(file.get(), bytes.data(), bytes.size());
    return parse_elf({file.get(), bytes.size()});
}

TEST(Elf, RefusesThisTestAsDynamicallyLinked) {
    const auto result = parse_file("/proc/self/exe");
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error(), Error::ElfDynamicallyLinked);
}

TEST(Elf, AcceptsARealStaticProgram) {
#ifndef MINK_STATIC_PROGRAM
    GTEST_SKIP() << "the host cannot link statically (libc6-dev's libc.a)";
#else
    const auto result = parse_file(MINK_STATIC_PROGRAM);
    ASSERT_FALSE(result.is_error()) << to_string(result.error());
    EXPECT_GE(result->segment_count, 2u);
    EXPECT_NE(result->program_headers_address, 0u);  // musl's start code finds PT_TLS through AT_PHDR
#endif
}

TEST(Elf, AcceptsAProgramBuiltByMuslGcc) {
#ifndef MINK_MUSL_PROGRAM
    GTEST_SKIP() << "no musl-gcc (musl-tools): user/hello was not built";
#else
    const auto result = parse_file(MINK_MUSL_PROGRAM);
    ASSERT_FALSE(result.is_error()) << to_string(result.error());
    EXPECT_FALSE(result->is_pie);  // musl-gcc -static makes ET_EXEC
    EXPECT_GE(result->segment_count, 2u);
    EXPECT_NE(result->program_headers_address, 0u);
#endif
}

TEST(Elf, EveryRefusalReadsAsAReason) {
    EXPECT_STREQ(to_string(Error::ElfBadMagic), "not an ELF file");
    EXPECT_STREQ(to_string(Error::ElfDynamicallyLinked), "dynamically linked (PT_INTERP)");
}

}  // namespace
