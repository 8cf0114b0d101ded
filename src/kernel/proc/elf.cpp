// Reads an ELF64 file header by header, checking every offset, size and address before it is used.
#include "proc/elf.hpp"

#include "config.hpp"

namespace kernel::proc {
namespace {

constexpr uint64_t kPageSize = PAGE_SIZE;  // config.hpp: shared with NASM

// The file may be arbitrary bytes at any alignment, so fields are copied out, never read in place.
template <typename T>
T load(const uint8_t* bytes, uint64_t offset) {
    T value;
    __builtin_memcpy(&value, bytes + offset, sizeof(T));
    return value;
}

// Whether the size bytes at offset lie inside a file of file_size bytes, without computing a sum that can wrap.
constexpr bool inside_file(uint64_t offset, uint64_t size, uint64_t file_size) {
    return offset <= file_size && size <= file_size - offset;
}

constexpr bool is_power_of_two(uint64_t value) {
    return value != 0 && (value & (value - 1)) == 0;
}

constexpr uint64_t page_floor(uint64_t address) {
    return address & ~(kPageSize - 1);
}

// Only for addresses at or below kUserSpaceEnd, so the sum cannot wrap.
constexpr uint64_t page_ceil(uint64_t address) {
    return page_floor(address + kPageSize - 1);
}

// Whether the address lies in the memory of the segment.
constexpr bool contains(const LoadSegment& segment, uint64_t address) {
    return address >= segment.address && address - segment.address < segment.memory_size;
}

ErrorOr<ElfHeader> check_header(lib::Span<const uint8_t> file) {
    if (file.size() < sizeof(ElfHeader)) return Error::ElfTooShort;
    const auto header = load<ElfHeader>(file.data(), 0);
    if (__builtin_memcmp(header.e_ident, kElfMagic, sizeof(kElfMagic)) != 0) return Error::ElfBadMagic;
    if (header.e_ident[kIdentClass] != kClass64) return Error::ElfNot64Bit;
    if (header.e_ident[kIdentData] != kLittleEndian) return Error::ElfNotLittleEndian;
    if (header.e_ident[kIdentVersion] != kCurrentVersion || header.e_version != kCurrentVersion)
        return Error::ElfBadVersion;
    if (header.e_machine != kMachineX86_64) return Error::ElfNotX86_64;
    if (header.e_type != kTypeExecutable && header.e_type != kTypeShared) return Error::ElfNotExecutable;
    if (header.e_phentsize != sizeof(ProgramHeader)) return Error::ElfBadProgramHeaderSize;
    // e_phnum is 16 bits, so the product cannot wrap. Headers over the ELF header would make AT_PHDR ambiguous.
    const uint64_t size = uint64_t{header.e_phnum} * sizeof(ProgramHeader);
    if ((size > 0 && header.e_phoff < sizeof(ElfHeader)) || !inside_file(header.e_phoff, size, file.size()))
        return Error::ElfProgramHeadersOutsideFile;
    return header;
}

// ELF's rule: a loadable segment's address and file offset agree modulo the page size and modulo p_align
// (0 and 1 mean no alignment), which must be a power of two.
constexpr bool well_aligned(const ProgramHeader& header) {
    const bool no_alignment = header.p_align <= 1;
    if (!no_alignment && !is_power_of_two(header.p_align)) return false;
    if (header.p_vaddr % kPageSize != header.p_offset % kPageSize) return false;
    return no_alignment || header.p_vaddr % header.p_align == header.p_offset % header.p_align;
}

ErrorOr<void> add_load(const ProgramHeader& header, uint64_t file_size, Executable& program) {
    if (header.p_filesz > header.p_memsz) return Error::ElfSegmentFileSizeTooBig;
    if (!inside_file(header.p_offset, header.p_filesz, file_size)) return Error::ElfSegmentOutsideFile;
    uint64_t end;
    if (__builtin_add_overflow(header.p_vaddr, header.p_memsz, &end) || end > kUserSpaceEnd)
        return Error::ElfSegmentNotInUserSpace;
    if (!program.is_pie && header.p_vaddr < kPageSize) return Error::ElfSegmentAtPageZero;
    if (!well_aligned(header)) return Error::ElfSegmentMisaligned;
    if ((header.p_flags & kFlagWrite) && (header.p_flags & kFlagExecute)) return Error::ElfWritableAndExecutable;
    if (header.p_memsz == 0) return {};  // occupies nothing: nothing to load
    if (program.segment_count > 0) {
        const LoadSegment& previous = program.segments[program.segment_count - 1];
        if (page_floor(header.p_vaddr) < page_ceil(previous.address + previous.memory_size))
            return Error::ElfSegmentsOverlap;
    }
    if (program.segment_count == kMaxLoadSegments) return Error::ElfTooManySegments;
    program.segments[program.segment_count++] = {.address = header.p_vaddr,
                                                 .memory_size = header.p_memsz,
                                                 .file_offset = header.p_offset,
                                                 .file_size = header.p_filesz,
                                                 .writable = (header.p_flags & kFlagWrite) != 0,
                                                 .executable = (header.p_flags & kFlagExecute) != 0};
    return {};
}

ErrorOr<void> read_program_header(const ProgramHeader& header, uint64_t file_size, Executable& program) {
    switch (header.p_type) {
    case kSegmentLoad: return add_load(header, file_size, program);
    case kSegmentInterpreter: return Error::ElfDynamicallyLinked;
    case kSegmentGnuStack:
        if (header.p_flags & kFlagExecute) return Error::ElfExecutableStack;
        return {};
    case kSegmentTls:
        if (program.tls.present) return Error::ElfBadTls;
        program.tls = {true, header.p_vaddr, header.p_filesz, header.p_memsz, header.p_align};
        return {};
    default: return {};
    }
}

// The TLS template is read from memory, so its initialised part must lie in one loaded segment.
ErrorOr<void> check_tls(const Executable& program) {
    const TlsTemplate& tls = program.tls;
    if (!tls.present) return {};
    if (tls.file_size > tls.memory_size) return Error::ElfBadTls;
    if (tls.alignment > 1 && !is_power_of_two(tls.alignment)) return Error::ElfBadTls;
    if (tls.file_size == 0) return {};
    for (size_t i = 0; i < program.segment_count; ++i) {
        const LoadSegment& segment = program.segments[i];
        if (contains(segment, tls.address) && tls.file_size <= segment.memory_size - (tls.address - segment.address))
            return {};
    }
    return Error::ElfBadTls;
}

// Where the program headers are in memory: inside the file bytes of the segment that loads them, if any.
uint64_t program_headers_address(const ElfHeader& header, const Executable& program) {
    const uint64_t size = uint64_t{header.e_phnum} * sizeof(ProgramHeader);
    for (size_t i = 0; i < program.segment_count; ++i) {
        const LoadSegment& segment = program.segments[i];
        if (header.e_phoff >= segment.file_offset &&
            inside_file(header.e_phoff - segment.file_offset, size, segment.file_size))
            return segment.address + (header.e_phoff - segment.file_offset);
    }
    return 0;
}

}  // namespace

ErrorOr<Executable> parse_elf(lib::Span<const uint8_t> file) {
    const ElfHeader header = TRY(check_header(file));
    Executable program;
    program.is_pie = header.e_type == kTypeShared;
    for (uint64_t i = 0; i < header.e_phnum; ++i) {
        const auto program_header = load<ProgramHeader>(file.data(), header.e_phoff + i * sizeof(ProgramHeader));
        TRY(read_program_header(program_header, file.size(), program));
    }
    if (program.segment_count == 0) return Error::ElfNoLoadSegments;
    TRY(check_tls(program));
    bool entry_found = false;
    for (size_t i = 0; i < program.segment_count; ++i)
        entry_found |= program.segments[i].executable && contains(program.segments[i], header.e_entry);
    if (!entry_found) return Error::ElfEntryNotExecutable;
    program.entry = header.e_entry;
    program.program_headers_address = program_headers_address(header, program);
    program.program_header_size = header.e_phentsize;
    program.program_header_count = header.e_phnum;
    return program;
}

}  // namespace kernel::proc
