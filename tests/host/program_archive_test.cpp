// The program archive end to end, without musl: tools/make_program_archive.py packs crafted and real programs
// (tests/host/meson.build), and the kernel's USTAR reader and ELF parser must take every one back.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "proc/elf.hpp"
#include "proc/ustar.hpp"

#ifndef MINK_SAMPLE_ARCHIVE
#error "define MINK_SAMPLE_ARCHIVE as a string literal naming the archive tests/host/meson.build makes"
#endif

namespace {

using namespace kernel::proc;

std::vector<uint8_t> read_archive() {
    std::ifstream in(MINK_SAMPLE_ARCHIVE, std::ios::binary);
    EXPECT_TRUE(in) << MINK_SAMPLE_ARCHIVE;
    return {std::istreambuf_iterator<char>(in), {}};
}

TEST(ProgramArchive, HoldsEveryProgramSortedByNameAndEachParses) {
    const std::vector<uint8_t> archive = read_archive();
    ArchiveReader reader({archive.data(), archive.size()});
    ArchiveFile file;
    std::vector<std::string> names;
    for (;;) {
        const auto more = reader.next(file);
        ASSERT_FALSE(more.is_error()) << to_string(more.error());
        if (!more.value()) break;
        names.push_back(file.name);
        const auto program = parse_elf(file.data);
        EXPECT_FALSE(program.is_error()) << file.name << ": not an executable (" << to_string(program.error()) << ")";
    }
    EXPECT_GE(names.size(), 2u);
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
    EXPECT_EQ(find_file({archive.data(), archive.size()}, "seed-pie.elf").is_error(), false);
}

}  // namespace
