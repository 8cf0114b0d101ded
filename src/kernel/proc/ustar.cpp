// Reads a USTAR archive header by header, checking the checksum, the numbers and the sizes before using them.
#include "proc/ustar.hpp"

namespace kernel::proc {
namespace {

constexpr size_t kChecksumOffset = __builtin_offsetof(UstarHeader, checksum);

// What one header says, once checked; the reader moves on only after a header passed every check.
struct Entry {
    bool is_regular_file = false;
    ArchiveFile file;
    size_t next_offset = 0;
};

bool is_zero_block(const uint8_t* block) {
    for (size_t i = 0; i < kUstarBlockSize; ++i)
        if (block[i] != 0) return false;
    return true;
}

// Every byte of the header as an unsigned number, the checksum field counted as eight spaces.
uint32_t checksum_of(const uint8_t* block) {
    uint32_t sum = 0;
    for (size_t i = 0; i < kUstarBlockSize; ++i) {
        const bool in_checksum = i >= kChecksumOffset && i < kChecksumOffset + sizeof(UstarHeader::checksum);
        sum += in_checksum ? uint8_t{' '} : block[i];
    }
    return sum;
}

// An octal number as tar writes it: leading spaces, at least one digit, then only NULs and spaces. Twelve
// digits at most make 36 bits, so the value cannot overflow.
template <size_t Size>
ErrorOr<uint64_t> parse_octal(const char (&field)[Size]) {
    size_t i = 0;
    while (i < Size && field[i] == ' ') ++i;
    const size_t first_digit = i;
    uint64_t value = 0;
    for (; i < Size && field[i] >= '0' && field[i] <= '7'; ++i)
        value = value * 8 + static_cast<uint64_t>(field[i] - '0');
    if (i == first_digit) return Error::UstarBadNumber;
    for (; i < Size; ++i)
        if (field[i] != '\0' && field[i] != ' ') return Error::UstarBadNumber;
    return value;
}

// The length of a text field: up to its first NUL, or the whole field.
template <size_t Size>
size_t field_length(const char (&field)[Size]) {
    size_t length = 0;
    while (length < Size && field[length] != '\0') ++length;
    return length;
}

ErrorOr<void> read_name(const UstarHeader& header, char (&out)[kUstarMaxNameLength + 1]) {
    const size_t prefix_length = field_length(header.prefix);
    const size_t name_length = field_length(header.name);
    if (name_length == 0) return Error::UstarEmptyName;
    size_t at = 0;
    for (size_t i = 0; i < prefix_length; ++i) out[at++] = header.prefix[i];
    if (prefix_length > 0) out[at++] = '/';
    for (size_t i = 0; i < name_length; ++i) out[at++] = header.name[i];
    out[at] = '\0';
    return {};
}

// The header at offset, which lies a whole block inside the archive and is not the end marker.
ErrorOr<Entry> read_entry(lib::Span<const uint8_t> archive, size_t offset) {
    const uint8_t* block = archive.data() + offset;
    UstarHeader header;
    __builtin_memcpy(&header, block, sizeof(header));
    if (__builtin_memcmp(header.magic, "ustar", 5) != 0 || (header.magic[5] != '\0' && header.magic[5] != ' '))
        return Error::UstarBadMagic;
    if (TRY(parse_octal(header.checksum)) != checksum_of(block)) return Error::UstarBadChecksum;
    const uint64_t size = TRY(parse_octal(header.size));
    const size_t data_offset = offset + kUstarBlockSize;
    if (size > archive.size() - data_offset) return Error::UstarFilePastEnd;
    Entry entry;
    entry.is_regular_file = header.typeflag == kUstarRegularFile || header.typeflag == kUstarOldRegularFile;
    if (entry.is_regular_file) {
        TRY(read_name(header, entry.file.name));
        entry.file.data = {block + kUstarBlockSize, static_cast<size_t>(size)};
    }
    // The last file's padding may be missing: the archive then simply ends after its bytes.
    const uint64_t padded = (size + kUstarBlockSize - 1) / kUstarBlockSize * kUstarBlockSize;
    entry.next_offset = padded > archive.size() - data_offset ? archive.size() : data_offset + padded;
    return entry;
}

bool same_name(const char* a, const char* b) {
    while (*a != '\0' && *a == *b) ++a, ++b;
    return *a == *b;
}

}  // namespace

ErrorOr<bool> ArchiveReader::next(ArchiveFile& file) {
    while (m_offset < m_archive.size()) {
        if (m_archive.size() - m_offset < kUstarBlockSize) return Error::UstarTruncatedHeader;
        if (is_zero_block(m_archive.data() + m_offset)) break;  // the end marker; what follows is not read
        const Entry entry = TRY(read_entry(m_archive, m_offset));
        m_offset = entry.next_offset;
        if (entry.is_regular_file) {
            file = entry.file;
            return true;
        }
    }
    m_offset = m_archive.size();
    return false;
}

ErrorOr<ArchiveFile> find_file(lib::Span<const uint8_t> archive, const char* name) {
    ArchiveReader reader(archive);
    ArchiveFile file;
    while (TRY(reader.next(file)))
        if (same_name(file.name, name)) return file;
    return Error::UstarNotFound;
}

ErrorOr<size_t> count_files(lib::Span<const uint8_t> archive) {
    ArchiveReader reader(archive);
    ArchiveFile file;
    size_t count = 0;
    while (TRY(reader.next(file))) ++count;
    return count;
}

}  // namespace kernel::proc
