// libFuzzer target: arbitrary bytes into the USTAR reader under ASan and UBSan; every file it lists must have a
// proper name and bytes inside the archive, and listing, counting and finding must agree. Each input runs twice:
// as it is, and with the checksum of every block repaired, so that mutations get past the checksum check.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "proc/ustar.hpp"

namespace {

using namespace kernel::proc;

void check(const ArchiveFile& file, const uint8_t* archive, size_t size) {
    const size_t length = strnlen(file.name, sizeof(file.name));
    if (length == 0 || length > kUstarMaxNameLength) __builtin_trap();
    if (file.data.size() > size || file.data.data() < archive + kUstarBlockSize) __builtin_trap();
    if (file.data.data() + file.data.size() > archive + size) __builtin_trap();
}

// Writes every whole block's checksum as tar would, were the block a header.
void repair_checksums(std::vector<uint8_t>& archive) {
    const size_t at = offsetof(UstarHeader, checksum);
    for (size_t block = 0; block + kUstarBlockSize <= archive.size(); block += kUstarBlockSize) {
        std::memset(&archive[block + at], ' ', sizeof(UstarHeader::checksum));
        unsigned sum = 0;
        for (size_t i = 0; i < kUstarBlockSize; ++i) sum += archive[block + i];
        std::snprintf(reinterpret_cast<char*>(&archive[block + at]), 7, "%06o", sum);  // at most 512 * 255: six digits
    }
}

// The archive is an exact-size copy, so a read past its end hits a redzone.
void run(const std::vector<uint8_t>& archive) {
    const size_t size = archive.size();
    const kernel::lib::Span<const uint8_t> bytes(archive.data(), archive.size());
    ArchiveReader reader(bytes);
    ArchiveFile file, first;
    size_t count = 0;
    kernel::ErrorOr<bool> more = false;
    while (!(more = reader.next(file)).is_error() && more.value()) {
        check(file, archive.data(), size);
        if (count++ == 0) first = file;
    }
    const kernel::ErrorOr<size_t> counted = count_files(bytes);
    if (counted.is_error() != more.is_error()) __builtin_trap();
    if (!counted.is_error() && counted.value() != count) __builtin_trap();
    if (count > 0) {
        const kernel::ErrorOr<ArchiveFile> found = find_file(bytes, first.name);
        if (found.is_error() || found->data.data() != first.data.data()) __builtin_trap();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::vector<uint8_t> archive(data, data + size);
    run(archive);
    repair_checksums(archive);
    run(archive);
    return 0;
}
