// Host tests for the USTAR reader: archives written here the way tar writes them, then broken one way per refusal.
#include "proc/ustar.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace kernel {
// Lets failing expectations print "header checksum does not match" instead of a byte dump.
void PrintTo(Error error, std::ostream* out) {
    *out << to_string(error);
}
}  // namespace kernel

namespace {

using namespace kernel::proc;
using kernel::Error;

constexpr char kDirectory = '5';
constexpr char kSymbolicLink = '2';
constexpr char kPaxHeader = 'x';

// Writes the checksum field as tar does: six octal digits, a NUL, a space.
void set_checksum(UstarHeader& header) {
    std::memset(header.checksum, ' ', sizeof(header.checksum));
    uint32_t sum = 0;
    for (size_t i = 0; i < sizeof(header); ++i) sum += reinterpret_cast<const uint8_t*>(&header)[i];
    std::snprintf(header.checksum, sizeof(header.checksum), "%06o", sum);
    header.checksum[7] = ' ';
}

UstarHeader header_for(const std::string& name, size_t size, char type) {
    UstarHeader header{};
    std::memcpy(header.name, name.data(), std::min(name.size(), sizeof(header.name)));
    std::snprintf(header.mode, sizeof(header.mode), "%07o", 0755);
    std::snprintf(header.uid, sizeof(header.uid), "%07o", 0);
    std::snprintf(header.gid, sizeof(header.gid), "%07o", 0);
    std::snprintf(header.size, sizeof(header.size), "%011zo", size);
    std::snprintf(header.mtime, sizeof(header.mtime), "%011o", 0);
    header.typeflag = type;
    std::memcpy(header.magic, "ustar", 6);  // with its NUL
    std::memcpy(header.version, "00", 2);
    set_checksum(header);
    return header;
}

// An archive being written: entries, then (unless left out) the two zero blocks that end it.
class Tar {
public:
    // Returns the index of the entry's header, for tests that break it.
    size_t add(const std::string& name, const std::string& data, char type = kUstarRegularFile) {
        return add_header(header_for(name, data.size(), type), data);
    }
    size_t add_header(const UstarHeader& header, const std::string& data) {
        const size_t at = m_bytes.size();
        append(&header, sizeof(header));
        append(data.data(), data.size());
        m_bytes.resize((m_bytes.size() + kUstarBlockSize - 1) / kUstarBlockSize * kUstarBlockSize);
        return at;
    }
    UstarHeader& header_at(size_t at) { return *reinterpret_cast<UstarHeader*>(m_bytes.data() + at); }
    void end() { m_bytes.resize(m_bytes.size() + 2 * kUstarBlockSize); }
    std::vector<uint8_t>& bytes() { return m_bytes; }

private:
    void append(const void* data, size_t size) {
        auto* first = static_cast<const uint8_t*>(data);
        m_bytes.insert(m_bytes.end(), first, first + size);
    }
    std::vector<uint8_t> m_bytes;
};

// An archive in heap storage of exactly its size (a copied vector allocates no more), so ASan flags any read
// past the end.
class Archive {
public:
    explicit Archive(const std::vector<uint8_t>& bytes) : m_bytes(bytes) {}
    kernel::lib::Span<const uint8_t> span() const { return {m_bytes.data(), m_bytes.size()}; }

private:
    const std::vector<uint8_t> m_bytes;
};

struct Listing {
    std::vector<std::string> names;
    std::vector<std::string> contents;
    std::optional<Error> error;
};

Listing list(const std::vector<uint8_t>& bytes) {
    const Archive archive(bytes);
    ArchiveReader reader(archive.span());
    Listing listing;
    ArchiveFile file;
    for (;;) {
        const auto more = reader.next(file);
        if (more.is_error()) {
            listing.error = more.error();
            return listing;
        }
        if (!more.value()) return listing;
        listing.names.push_back(file.name);
        listing.contents.emplace_back(reinterpret_cast<const char*>(file.data.data()), file.data.size());
    }
}

std::optional<Error> error_of(const std::vector<uint8_t>& bytes) {
    return list(bytes).error;
}

using Names = std::vector<std::string>;

TEST(Ustar, ListsRegularFilesInOrderWithTheirBytes) {
    Tar tar;
    tar.add("hello", "Hello, world!\n");
    tar.add("big", std::string(1000, 'x'));
    tar.add("empty", "");
    tar.end();
    const Listing listing = list(tar.bytes());
    EXPECT_EQ(listing.error, std::nullopt);
    EXPECT_EQ(listing.names, (Names{"hello", "big", "empty"}));
    EXPECT_EQ(listing.contents, (Names{"Hello, world!\n", std::string(1000, 'x'), ""}));
}

TEST(Ustar, StepsOverDirectoriesLinksAndExtendedHeaders) {
    Tar tar;
    tar.add("bin", "", kDirectory);
    tar.add("sh", "", kSymbolicLink);
    tar.add("pax", "30 mtime=1234567890.123456789\n", kPaxHeader);
    tar.add("cat", "meow", kUstarOldRegularFile);
    tar.end();
    EXPECT_EQ(list(tar.bytes()).names, (Names{"cat"}));
}

TEST(Ustar, AnEmptyArchiveHasNoFiles) {
    Tar tar;
    tar.end();
    EXPECT_EQ(count_files(Archive(tar.bytes()).span()).value(), 0u);
    EXPECT_EQ(count_files(Archive({}).span()).value(), 0u);
}

TEST(Ustar, EndsAtTheFirstZeroBlockAndReadsNothingAfter) {
    Tar tar;
    tar.add("first", "1");
    tar.bytes().resize(tar.bytes().size() + kUstarBlockSize);        // one zero block
    tar.bytes().resize(tar.bytes().size() + kUstarBlockSize, 0xAA);  // garbage
    EXPECT_EQ(list(tar.bytes()).names, (Names{"first"}));
}

TEST(Ustar, AcceptsAnArchiveCutAfterItsLastFile) {
    Tar tar;
    tar.add("first", "1");
    tar.add("last", "22");
    tar.bytes().resize(tar.bytes().size() - kUstarBlockSize + 2);  // no end blocks, no padding
    const Listing listing = list(tar.bytes());
    EXPECT_EQ(listing.error, std::nullopt);
    EXPECT_EQ(listing.contents, (Names{"1", "22"}));
}

TEST(Ustar, JoinsThePrefixAndTakesFullLengthFields) {
    const std::string long_name(100, 'n'), long_prefix(155, 'p');
    UstarHeader header = header_for(long_name, 1, kUstarRegularFile);
    std::memcpy(header.prefix, long_prefix.data(), long_prefix.size());
    set_checksum(header);
    Tar tar;
    tar.add_header(header, "x");
    tar.end();
    const Names names = list(tar.bytes()).names;
    ASSERT_EQ(names.size(), 1u);
    EXPECT_EQ(names[0], long_prefix + "/" + long_name);
    EXPECT_EQ(names[0].size(), kUstarMaxNameLength);
}

TEST(Ustar, AcceptsGnuMagicAndNumbersWithSpaces) {
    UstarHeader header = header_for("gnu", 3, kUstarRegularFile);
    std::memcpy(header.magic, "ustar ", 6);
    std::memcpy(header.version, " ", 2);
    std::memcpy(header.size, "         3 ", 12);
    set_checksum(header);
    Tar tar;
    tar.add_header(header, "abc");
    tar.end();
    const Listing listing = list(tar.bytes());
    EXPECT_EQ(listing.error, std::nullopt);
    EXPECT_EQ(listing.contents, (Names{"abc"}));
}

TEST(Ustar, FindsAFileByName) {
    Tar tar;
    tar.add("hello", "hi");
    tar.add("cat", "meow");
    tar.end();
    const Archive archive(tar.bytes());
    const auto found = find_file(archive.span(), "cat");
    ASSERT_FALSE(found.is_error());
    EXPECT_STREQ(found->name, "cat");
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(found->data.data()), found->data.size()), "meow");
    EXPECT_EQ(find_file(archive.span(), "ca").error(), Error::UstarNotFound);
    EXPECT_EQ(find_file(archive.span(), "cats").error(), Error::UstarNotFound);
}

// ---- Refusals. ----

TEST(Ustar, RefusesAnArchiveEndingInsideAHeader) {
    Tar tar;
    tar.add("hello", "hi");
    tar.bytes().resize(tar.bytes().size() + 100, 0x20);
    const Listing listing = list(tar.bytes());
    EXPECT_EQ(listing.names, (Names{"hello"}));  // good files before the damage are still read
    EXPECT_EQ(listing.error, Error::UstarTruncatedHeader);
    EXPECT_EQ(count_files(Archive(tar.bytes()).span()).error(), Error::UstarTruncatedHeader);
}

TEST(Ustar, RefusesAHeaderWithoutTheMagic) {
    Tar tar;
    const size_t at = tar.add("old", "v7 tar");
    std::memset(tar.header_at(at).magic, 0, 8);
    set_checksum(tar.header_at(at));
    tar.end();
    EXPECT_EQ(error_of(tar.bytes()), Error::UstarBadMagic);
}

TEST(Ustar, RefusesAWrongChecksum) {
    Tar tar;
    const size_t at = tar.add("hello", "hi");
    tar.header_at(at).name[0] = 'j';
    tar.end();
    EXPECT_EQ(error_of(tar.bytes()), Error::UstarBadChecksum);
}

TEST(Ustar, RefusesNumbersThatAreNotOctal) {
    for (const char* size : {"00000000009", "", "   ", "12x", "1 2"}) {
        UstarHeader header = header_for("hello", 0, kUstarRegularFile);
        std::memset(header.size, 0, sizeof(header.size));
        std::memcpy(header.size, size, std::strlen(size));
        set_checksum(header);
        Tar tar;
        tar.add_header(header, "");
        tar.end();
        EXPECT_EQ(error_of(tar.bytes()), Error::UstarBadNumber) << '"' << size << '"';
    }
    UstarHeader header = header_for("base256", 0, kUstarRegularFile);
    header.size[0] = static_cast<char>(0x80);  // GNU's base-256 for files of 8 GiB and more
    set_checksum(header);
    Tar tar;
    tar.add_header(header, "");
    tar.end();
    EXPECT_EQ(error_of(tar.bytes()), Error::UstarBadNumber);
    tar.header_at(0).checksum[0] = '8';
    EXPECT_EQ(error_of(tar.bytes()), Error::UstarBadNumber);
}

TEST(Ustar, RefusesAFileRunningPastTheEnd) {
    Tar tar;
    tar.add("hello", std::string(600, 'h'));
    tar.bytes().resize(kUstarBlockSize + 599);
    EXPECT_EQ(error_of(tar.bytes()), Error::UstarFilePastEnd);
    UstarHeader header = header_for("huge", 0, kUstarRegularFile);
    std::memcpy(header.size, "77777777777", 12);
    set_checksum(header);
    Tar huge;
    huge.add_header(header, "");
    huge.end();
    EXPECT_EQ(error_of(huge.bytes()), Error::UstarFilePastEnd);
}

TEST(Ustar, RefusesAFileWithoutAName) {
    Tar tar;
    tar.add("", "nameless");
    tar.end();
    EXPECT_EQ(error_of(tar.bytes()), Error::UstarEmptyName);
}

}  // namespace
