// A reader of USTAR archives (POSIX tar) that trusts none of the archive: how mink finds the programs GRUB loads
// as one module. Pure code, shared by the kernel and the host tests.
//
// An archive is a run of 512-byte blocks: a header, then the file's bytes padded to a whole block, then the next
// header, up to a block of zeros (or the end of the bytes). Only regular files are listed; directories, links
// and extended (pax, GNU) headers are checked and stepped over.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/error.hpp"
#include "lib/span.hpp"

namespace kernel::proc {

inline constexpr size_t kUstarBlockSize = 512;

// ---- Wire layout (POSIX.1-1988 "ustar"). Numbers are octal text; the parser copies a header out of the
// archive before reading it. ----
struct UstarHeader {
    char name[100];  // NUL-terminated unless all 100 bytes are used
    char mode[8];
    char uid[8];
    char gid[8];
    char size[12];  // the file's length in bytes
    char mtime[12];
    char checksum[8];  // the sum of the header's bytes, this field counted as eight spaces
    char typeflag;
    char linkname[100];
    char magic[6];  // "ustar\0" (POSIX) or "ustar " (GNU tar)
    char version[2];
    char uname[32];
    char gname[32];
    char devmajor[8];
    char devminor[8];
    char prefix[155];  // when not empty, the name is prefix/name
    char padding[12];
};
static_assert(sizeof(UstarHeader) == kUstarBlockSize);
static_assert(__builtin_offsetof(UstarHeader, checksum) == 148 && __builtin_offsetof(UstarHeader, magic) == 257);
static_assert(__builtin_offsetof(UstarHeader, prefix) == 345);

// The typeflags of a regular file: '0', and NUL from tars older than POSIX.
inline constexpr char kUstarRegularFile = '0';
inline constexpr char kUstarOldRegularFile = '\0';

// The longest name: a full prefix, a slash, a full name.
inline constexpr size_t kUstarMaxNameLength = sizeof(UstarHeader::prefix) + 1 + sizeof(UstarHeader::name);

// One regular file. Its bytes point into the archive, which must outlive it.
struct ArchiveFile {
    char name[kUstarMaxNameLength + 1] = {};  // always NUL-terminated, never empty
    lib::Span<const uint8_t> data;
};

// Walks an archive file by file. Every header is checked as it is reached, so a damaged header gives an error
// from next() even after good files.
class ArchiveReader {
public:
    explicit constexpr ArchiveReader(lib::Span<const uint8_t> archive) : m_archive(archive) {}

    // Fills file with the next regular file and gives true; gives false at the end of the archive.
    [[nodiscard]] ErrorOr<bool> next(ArchiveFile& file);

private:
    lib::Span<const uint8_t> m_archive;
    size_t m_offset = 0;  // of the next header; always a whole number of blocks
};

// The regular file of that name, or Error::UstarNotFound. The whole archive up to it is checked.
[[nodiscard]] ErrorOr<ArchiveFile> find_file(lib::Span<const uint8_t> archive, const char* name);

// Checks every header of the archive and counts its regular files.
[[nodiscard]] ErrorOr<size_t> count_files(lib::Span<const uint8_t> archive);

}  // namespace kernel::proc
