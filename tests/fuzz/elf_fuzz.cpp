// libFuzzer target: arbitrary bytes into the ELF64 parser under ASan and UBSan; whatever it accepts must keep
// every promise Executable makes to a loader (proc/elf.hpp), checked here independently of the parser.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "config.hpp"
#include "proc/elf.hpp"

namespace {

using namespace kernel::proc;

constexpr uint64_t kPage = PAGE_SIZE;

void check(const Executable& program, size_t file_size) {
    if (program.segment_count == 0 || program.segment_count > kMaxLoadSegments) __builtin_trap();
    bool entry_in_code = false;
    uint64_t previous_end = 0;
    for (size_t i = 0; i < program.segment_count; ++i) {
        const LoadSegment& segment = program.segments[i];
        if (segment.memory_size == 0 || segment.file_size > segment.memory_size) __builtin_trap();
        if (segment.file_offset > file_size || segment.file_size > file_size - segment.file_offset) __builtin_trap();
        if (segment.address > kUserSpaceEnd || segment.memory_size > kUserSpaceEnd - segment.address) __builtin_trap();
        if (!program.is_pie && segment.address < kPage) __builtin_trap();
        if (segment.writable && segment.executable) __builtin_trap();
        if (i > 0 && segment.address / kPage * kPage < previous_end) __builtin_trap();  // shares a page
        previous_end = (segment.address + segment.memory_size + kPage - 1) / kPage * kPage;
        if (segment.executable && program.entry >= segment.address &&
            program.entry - segment.address < segment.memory_size)
            entry_in_code = true;
    }
    if (!entry_in_code) __builtin_trap();
    if (program.program_header_size != sizeof(ProgramHeader)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // An exact-size copy, so a read past the end of the file hits a redzone.
    std::unique_ptr<uint8_t[]> file(new uint8_t[size]);
    if (size != 0) std::memcpy(file.get(), data, size);
    const kernel::ErrorOr<Executable> result = parse_elf({file.get(), size});
    if (result.is_error()) {
        if (to_string(result.error()) == nullptr) __builtin_trap();
        return 0;
    }
    check(result.value(), size);
    return 0;
}
