// An ELF64 executable parser that trusts none of the file: it says where each segment goes, or why it will not run.
//
// Pure code (no hardware, no memory manager), shared by the kernel and the host tests. It accepts what
// `musl-gcc -static` makes: a static ET_EXEC, or a static PIE (ET_DYN without PT_INTERP, which relocates itself).
// The loader that maps the segments, and the stack with its auxiliary vector, build on the Executable it returns.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/error.hpp"
#include "lib/span.hpp"

namespace kernel::proc {

// ---- Wire layout (System V ABI, "ELF-64 Object File Format"). Field names are the specification's, so a reader
// can look each one up. The parser copies these out of the file; it never points into it through them. ----

inline constexpr uint8_t kElfMagic[4] = {0x7F, 'E', 'L', 'F'};
// Indices into e_ident, and the only values mink accepts there.
inline constexpr size_t kIdentClass = 4;
inline constexpr size_t kIdentData = 5;
inline constexpr size_t kIdentVersion = 6;
inline constexpr uint8_t kClass64 = 2;          // ELFCLASS64
inline constexpr uint8_t kLittleEndian = 1;     // ELFDATA2LSB
inline constexpr uint32_t kCurrentVersion = 1;  // EV_CURRENT, both in e_ident and in e_version

inline constexpr uint16_t kTypeExecutable = 2;  // ET_EXEC: linked to run at fixed addresses
inline constexpr uint16_t kTypeShared = 3;      // ET_DYN: a static PIE (or a library), runs at any base
inline constexpr uint16_t kMachineX86_64 = 62;  // EM_X86_64

// Program header types mink acts on; every other type (notes, PT_GNU_RELRO, PT_DYNAMIC, ...) is skipped.
inline constexpr uint32_t kSegmentLoad = 1;               // PT_LOAD
inline constexpr uint32_t kSegmentInterpreter = 3;        // PT_INTERP: names a dynamic linker
inline constexpr uint32_t kSegmentTls = 7;                // PT_TLS: the template of thread-local storage
inline constexpr uint32_t kSegmentGnuStack = 0x6474E551;  // PT_GNU_STACK: its flags say how the stack is mapped

// p_flags bits.
inline constexpr uint32_t kFlagExecute = 1;  // PF_X
inline constexpr uint32_t kFlagWrite = 2;    // PF_W
inline constexpr uint32_t kFlagRead = 4;     // PF_R

struct ElfHeader {
    uint8_t e_ident[16];
    uint16_t e_type;
    uint16_t e_machine;
    uint32_t e_version;
    uint64_t e_entry;
    uint64_t e_phoff;  // file offset of the program headers
    uint64_t e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize;
    uint16_t e_phentsize;
    uint16_t e_phnum;
    uint16_t e_shentsize;
    uint16_t e_shnum;
    uint16_t e_shstrndx;
};
static_assert(sizeof(ElfHeader) == 64);

struct ProgramHeader {
    uint32_t p_type;
    uint32_t p_flags;
    uint64_t p_offset;  // where the segment's bytes start in the file
    uint64_t p_vaddr;   // where they go in memory
    uint64_t p_paddr;
    uint64_t p_filesz;  // bytes taken from the file...
    uint64_t p_memsz;   // ...out of the bytes in memory; the rest are zero (.bss)
    uint64_t p_align;
};
static_assert(sizeof(ProgramHeader) == 56);

// The first address above the lower half, where user space lives: the kernel owns everything from the
// canonical hole up.
inline constexpr uint64_t kUserSpaceEnd = 0x0000'8000'0000'0000;

// More PT_LOAD segments than this are refused: static programs have four or five.
inline constexpr size_t kMaxLoadSegments = 8;

// ---- Parsed view. ----

// One PT_LOAD segment. Every segment is readable (an x86 page cannot be write-only or execute-only) and never
// both writable and executable. Addresses of a PIE are relative to the base the loader chooses.
struct LoadSegment {
    uint64_t address = 0;      // p_vaddr
    uint64_t memory_size = 0;  // p_memsz, never 0
    uint64_t file_offset = 0;  // p_offset
    uint64_t file_size = 0;    // p_filesz <= memory_size, and the bytes lie inside the file
    bool writable = false;
    bool executable = false;
};

// PT_TLS: the image every thread's thread-local storage starts as. musl reads it itself (through AT_PHDR);
// the parser checks that its initialised part lies in a loaded segment.
struct TlsTemplate {
    bool present = false;
    uint64_t address = 0;
    uint64_t file_size = 0;
    uint64_t memory_size = 0;
    uint64_t alignment = 0;
};

// What a loader needs: guaranteed by parse_elf, so the loader checks nothing of the file again.
// - segments are sorted by address, each in the lower half, none shares a page with another;
// - an ET_EXEC's segments all lie above page 0 (a PIE's are placed there by adding the base);
// - entry lies inside an executable segment.
struct Executable {
    uint64_t entry = 0;
    LoadSegment segments[kMaxLoadSegments];
    size_t segment_count = 0;
    // AT_PHDR: where the program headers are once loaded, or 0 when no segment loads them from the file
    // (then the loader must place a copy, or give AT_PHDR 0 to a program that does not need it).
    uint64_t program_headers_address = 0;
    uint16_t program_header_size = 0;   // AT_PHENT
    uint16_t program_header_count = 0;  // AT_PHNUM
    bool is_pie = false;
    TlsTemplate tls;
};

// Checks the whole file and describes how to load it. The error's words complete "not an executable (...)".
// A stack is never executable: a file whose PT_GNU_STACK asks for one is refused (W^X holds everywhere), and a
// file without PT_GNU_STACK gets a non-executable stack, unlike Linux, which then makes it executable.
[[nodiscard]] ErrorOr<Executable> parse_elf(lib::Span<const uint8_t> file);

}  // namespace kernel::proc
