// The kernel's one error style. A call that can fail returns ErrorOr<T>: its
// value, or an Error naming what went wrong; TRY() hands an error up to the
// caller in one line. Broken invariants are not errors: they panic (KASSERT).
//
// Every error the kernel can report is listed once, below, with the words a
// person reads in the boot log: a new error is one new line in this list.
#pragma once

#include <stdint.h>

#include "lib/panic.hpp"

namespace kernel {

// X(Name, "message"), grouped by the layer that reports it.
#define MINK_ERRORS(X)                                                                      \
    /* Multiboot2 boot information (multiboot/) */                                          \
    X(MultibootNullPointer, "null pointer")                                                 \
    X(MultibootMisaligned, "MBI not 8-byte aligned")                                        \
    X(MultibootBufferTooSmall, "buffer smaller than MBI header")                            \
    X(MultibootTotalSizeTooSmall, "total_size below 16")                                    \
    X(MultibootTotalSizeExceedsBuffer, "total_size exceeds readable bytes")                 \
    X(MultibootTagTooShort, "tag size below 8")                                             \
    X(MultibootTagOverrunsEnd, "tag runs past total_size")                                  \
    X(MultibootMissingEndTag, "no end tag before total_size")                               \
    X(MultibootBadEndTag, "end tag size is not 8")                                          \
    X(MultibootStringNotTerminated, "string not NUL-terminated inside its tag")             \
    X(MultibootModuleTagTooShort, "module tag too short")                                   \
    X(MultibootModuleBadRange, "module end before module start")                            \
    X(MultibootBasicMemInfoTagTooShort, "basic meminfo tag too short")                      \
    X(MultibootMemoryMapTagTooShort, "memory map tag too short")                            \
    X(MultibootMemoryMapEntrySizeTooSmall, "memory map entry_size below 24")                \
    X(MultibootMemoryMapEntrySizeMisaligned, "memory map entry_size not a multiple of 8")   \
    X(MultibootMemoryMapEntriesOverrun, "memory map entries do not fill the tag exactly")   \
    X(MultibootMemoryRegionWraps, "memory region wraps past 2^64")                          \
    X(MultibootFramebufferTagTooShort, "framebuffer tag too short")                         \
    X(MultibootFramebufferUnknownType, "unknown framebuffer type")                          \
    X(MultibootFramebufferPaletteOverrun, "framebuffer palette runs past its tag")          \
    /* ACPI tables (acpi/) */                                                               \
    X(AcpiNotFound, "table not listed in the RSDT/XSDT")                                    \
    X(AcpiRsdpTooShort, "RSDP missing or shorter than 20 bytes")                            \
    X(AcpiRsdpBadSignature, "RSDP signature is not \"RSD PTR \"")                           \
    X(AcpiRsdpBadChecksum, "RSDP checksum (first 20 bytes) does not sum to 0")              \
    X(AcpiRsdpBadLength, "RSDP length below 36 or beyond the bytes given")                  \
    X(AcpiRsdpBadExtendedChecksum, "RSDP extended checksum does not sum to 0")              \
    X(AcpiNoRootTable, "RSDP gives neither an RSDT nor an XSDT address")                    \
    X(AcpiTableHeaderUnreadable, "table header not in readable memory")                     \
    X(AcpiTableTooShort, "table length below its 36-byte header")                           \
    X(AcpiTableUnreadable, "table length runs past readable memory")                        \
    X(AcpiTableBadSignature, "table signature is not the one expected")                     \
    X(AcpiTableBadChecksum, "table checksum does not sum to 0")                             \
    X(AcpiRootTableBadLength, "RSDT/XSDT length is not a whole number of entries")          \
    X(AcpiMadtTooShort, "MADT shorter than its 44-byte fixed part")                         \
    X(AcpiMadtEntryTooShort, "MADT entry length below 2")                                   \
    X(AcpiMadtEntryPastEnd, "MADT entry runs past the end of the table")                    \
    X(AcpiMadtEntryTooShortForType, "MADT entry shorter than its type requires")            \
    X(AcpiFadtTooShort, "FADT shorter than the 116 bytes of ACPI 1.0")                      \
    X(AcpiHpetTooShort, "HPET table shorter than 56 bytes")                                 \
    X(AcpiHpetNotSystemMemory, "HPET base address not in system memory space")              \
    X(AcpiHpetNoAddress, "HPET base address is 0")                                          \
    X(AcpiMcfgTooShort, "MCFG shorter than its 44-byte fixed part")                         \
    X(AcpiMcfgBadLength, "MCFG entries do not fill the table exactly")                      \
    X(AcpiNoDsdt, "FADT gives no DSDT address")                                             \
    X(AcpiS5Missing, "no \\_S5 object in the DSDT or SSDTs")                                \
    X(AcpiS5NotPackage, "\\_S5 is not a package")                                           \
    X(AcpiS5Truncated, "\\_S5 package truncated")                                           \
    X(AcpiS5TooFewElements, "\\_S5 package has fewer than 2 elements")                      \
    X(AcpiS5NotInteger, "\\_S5 element is not an integer constant")                         \
    X(AcpiS5ValueTooLarge, "\\_S5 sleep type does not fit SLP_TYP's 3 bits")                \
    X(AcpiNoPm1Control, "FADT gives no PM1a control block")                                 \
    X(AcpiPm1NotSystemIo, "PM1 control block not in system I/O space")                      \
    /* Memory (mm/, and the page-table format in arch/) */                                  \
    X(NoUsableMemory, "the memory map offers no usable frame above 1 MiB")                  \
    X(NoRoomForBookkeeping, "no run of usable frames can hold the bookkeeping")             \
    X(OutOfFrames, "no frame left")                                                         \
    X(MapMisaligned, "address or size not page-aligned")                                    \
    X(MapNonCanonical, "address not canonical")                                             \
    X(MapNullPage, "range covers virtual page 0")                                           \
    X(MapPhysicalTooHigh, "physical address beyond 52 bits")                                \
    X(MapEmptyRange, "range is empty")                                                      \
    X(NoKernelStackSlot, "every kernel stack slot is in use")                               \
    X(OutOfMemory, "the kernel heap is out of memory")                                      \
    /* Interrupt vectors (arch/) */                                                         \
    X(VectorReservedForExceptions, "vectors 0-31 belong to the CPU")                        \
    X(VectorTaken, "another handler owns the vector")                                       \
    /* Console font (drivers/psf) */                                                        \
    X(PsfBadMagic, "not a PSF font (bad magic)")                                            \
    X(PsfTruncatedHeader, "PSF header truncated")                                           \
    X(PsfBadHeader, "PSF header inconsistent")                                              \
    X(PsfZeroSize, "PSF font has a zero size")                                              \
    X(PsfAbsurdSize, "PSF font size out of range")                                          \
    X(PsfGlyphsPastEnd, "PSF glyph data runs past the end")                                 \
    /* Framebuffer (drivers/framebuffer) */                                                 \
    X(FramebufferBadFont, "font has no glyphs")                                             \
    X(FramebufferNullBase, "framebuffer address is null")                                   \
    X(FramebufferZeroSize, "framebuffer has a zero dimension")                              \
    X(FramebufferBadBpp, "framebuffer depth is not 15, 16, 24 or 32 bits")                  \
    X(FramebufferPitchTooSmall, "framebuffer pitch is smaller than a pixel row")            \
    X(FramebufferBadColourField, "framebuffer colour field out of range")                   \
    X(FramebufferTooSmallForGlyph, "framebuffer smaller than one glyph")                    \
    /* PS/2 keyboard (drivers/ps2_*) */                                                     \
    X(Ps2NoController, "no PS/2 controller")                                                \
    X(Ps2ControllerStuck, "PS/2 controller output never empties")                           \
    X(Ps2ControllerTimeout, "PS/2 controller does not answer")                              \
    X(Ps2SelfTestFailed, "PS/2 controller self-test failed")                                \
    X(Ps2PortTestFailed, "PS/2 keyboard port failed its test")                              \
    X(Ps2NoKeyboard, "no keyboard answered")                                                \
    X(Ps2KeyboardRejected, "keyboard asked to resend every command")                        \
    X(Ps2KeyboardSelfTestFailed, "keyboard self-test failed")                               \
    X(Ps2VectorTaken, "IRQ 1's vector is taken")                                            \
    /* Serial input (drivers/serial_input) */                                               \
    X(SerialNoUart, "no UART at COM1")                                                      \
    /* Interrupt routing (drivers/interrupt_routing, ioapic) */                             \
    X(IoApicNoPin, "no I/O APIC pin for this interrupt")                                    \
    X(IoApicUnmappable, "the I/O APIC's registers cannot be mapped")                        \
    X(IsaIrqNoController, "no interrupt controller for ISA IRQs (no I/O APIC, no 8259)")    \
    /* The tick (drivers/system_timer, lapic_timer, hpet, pm_timer, pit) */                 \
    X(TimerNoReferenceClock, "no reference clock (no HPET, ACPI PM timer or PIT)")          \
    X(TimerNotCalibrated, "the local APIC timer could not be calibrated")                   \
    X(TimerNotStarted, "the local APIC timer could not be started")                         \
    X(TscNotMeasured, "the TSC could not be measured against the reference clock")          \
    X(PitTickNotStarted, "the PIT could not be started as the tick")                        \
    X(HpetUnmappable, "the HPET's registers cannot be mapped")                              \
    X(HpetBadPeriod, "the HPET states a period outside its specification")                  \
    X(PmTimerAbsent, "the FADT names no PM timer in I/O space")                             \
    X(PmTimerNotCounting, "the ACPI PM timer does not count")                               \
    X(PitNotCounting, "the PIT does not count")                                             \
    /* PCI configuration space and the reset (drivers/pci_config, reset) */                 \
    X(PciNoEcamWindow, "the MCFG has no window for bus 0 of segment 0")                     \
    X(PciEcamUnmappable, "the ECAM window cannot be mapped")                                \
    X(PciEcamOverRam, "the ECAM window lies in RAM")                                        \
    X(PciEcamEmpty, "the ECAM window reads nothing at 00:00.0")                             \
    X(ResetUnsupportedSpace, "the reset register is in an address space mink cannot write") \
    /* Executables: ELF64 files (proc/elf); each completes "not an executable (...)" */     \
    X(ElfTooShort, "shorter than an ELF header")                                            \
    X(ElfBadMagic, "not an ELF file")                                                       \
    X(ElfNot64Bit, "not a 64-bit ELF file")                                                 \
    X(ElfNotLittleEndian, "not little-endian")                                              \
    X(ElfBadVersion, "unknown ELF version")                                                 \
    X(ElfNotX86_64, "not x86-64")                                                           \
    X(ElfNotExecutable, "neither an executable nor a static PIE")                           \
    X(ElfBadProgramHeaderSize, "program header size is not 56")                             \
    X(ElfProgramHeadersOutsideFile, "program headers outside the file")                     \
    X(ElfDynamicallyLinked, "dynamically linked (PT_INTERP)")                               \
    X(ElfNoLoadSegments, "no loadable segment")                                             \
    X(ElfTooManySegments, "more than 8 loadable segments")                                  \
    X(ElfSegmentFileSizeTooBig, "segment larger in the file than in memory")                \
    X(ElfSegmentOutsideFile, "segment runs past the end of the file")                       \
    X(ElfSegmentNotInUserSpace, "segment outside the lower half")                           \
    X(ElfSegmentAtPageZero, "segment at page 0")                                            \
    X(ElfSegmentMisaligned, "segment address and offset disagree modulo alignment")         \
    X(ElfSegmentsOverlap, "segments share a page or are not sorted by address")             \
    X(ElfWritableAndExecutable, "segment both writable and executable")                     \
    X(ElfExecutableStack, "asks for an executable stack (PT_GNU_STACK)")                    \
    X(ElfBadTls, "bad TLS segment (PT_TLS)")                                                \
    X(ElfEntryNotExecutable, "entry point outside every executable segment")                \
    /* The program archive: USTAR (proc/ustar) */                                           \
    X(UstarTruncatedHeader, "archive ends inside a header")                                 \
    X(UstarBadMagic, "not a ustar header")                                                  \
    X(UstarBadChecksum, "header checksum does not match")                                   \
    X(UstarBadNumber, "size or checksum is not an octal number")                            \
    X(UstarFilePastEnd, "file runs past the end of the archive")                            \
    X(UstarEmptyName, "file with an empty name")                                            \
    X(UstarNotFound, "no such file in the archive")

enum class Error : uint8_t {
#define MINK_ERROR_ENUMERATOR(name, message) name,
    MINK_ERRORS(MINK_ERROR_ENUMERATOR)
#undef MINK_ERROR_ENUMERATOR
};

// The words for the boot log; every Error has them, by construction.
[[nodiscard]] constexpr const char* to_string(Error error) {
    switch (error) {
#define MINK_ERROR_MESSAGE(name, message) \
    case Error::name: return message;
        MINK_ERRORS(MINK_ERROR_MESSAGE)
#undef MINK_ERROR_MESSAGE
    }
    return "unknown error";
}

// A T, or the Error that kept the call from making one. T must be default
// constructible (it is left so when there is an error). Reading the value of
// an error, or the error of a value, is a bug and panics.
template <typename T>
class [[nodiscard]] ErrorOr {
public:
    constexpr ErrorOr(const T& value) : m_value(value) {}
    constexpr ErrorOr(Error error) : m_error(error), m_is_error(true) {}

    [[nodiscard]] constexpr bool is_error() const { return m_is_error; }
    [[nodiscard]] constexpr Error error() const {
        KASSERT(m_is_error);
        return m_error;
    }
    [[nodiscard]] constexpr const T& value() const {
        KASSERT(!m_is_error);
        return m_value;
    }
    [[nodiscard]] constexpr T& value() {
        KASSERT(!m_is_error);
        return m_value;
    }
    constexpr const T& operator*() const { return value(); }
    constexpr const T* operator->() const { return &value(); }
    constexpr T* operator->() { return &value(); }
    // What TRY() yields.
    constexpr T release_value() { return value(); }

private:
    T m_value{};
    Error m_error{};
    bool m_is_error = false;
};

// Success carries nothing: `return {};`.
template <>
class [[nodiscard]] ErrorOr<void> {
public:
    constexpr ErrorOr() = default;
    constexpr ErrorOr(Error error) : m_error(error), m_is_error(true) {}

    [[nodiscard]] constexpr bool is_error() const { return m_is_error; }
    [[nodiscard]] constexpr Error error() const {
        KASSERT(m_is_error);
        return m_error;
    }
    constexpr void release_value() {}

private:
    Error m_error{};
    bool m_is_error = false;
};

}  // namespace kernel

// Evaluates an ErrorOr expression: on an error, returns it from the calling
// function (which must itself return an ErrorOr); otherwise yields the value.
//   const Madt madt = TRY(parse_madt(table));
// A GNU statement expression (clang and GCC); __extension__ keeps -pedantic quiet.
#define TRY(expression)                                                          \
    __extension__({                                                              \
        auto&& try_result_ = (expression);                                       \
        if (try_result_.is_error()) return ::kernel::Error(try_result_.error()); \
        try_result_.release_value();                                             \
    })
