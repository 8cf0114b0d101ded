// A fake video memory that counts every CPU load and store the code under test makes to it, so tests can prove the
// screen drivers never read video memory; a second, untrapped view of the same pages lets the test see the pixels.
//
// How: the pages are mapped twice from one memfd. The driver's view has no access, so each access faults; the
// SIGSEGV handler reads the x86 page-fault error code (load or store), opens the page, and sets the trap flag so
// the CPU single-steps that one instruction; the SIGTRAP handler then closes the page again. A store fault is
// counted as a read as well unless the instruction is a plain store (MOV, MOVNTI, STOS, SSE/AVX stores), since
// x86 reports a read-modify-write instruction (OR, ADD, XCHG to memory) as a store fault.
#pragma once

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

class TrappedMemory {
public:
    // `size` bytes, every one set to `fill`, then a page nobody may touch. One TrappedMemory exists at a time.
    TrappedMemory(size_t size, uint8_t fill);
    ~TrappedMemory();
    TrappedMemory(const TrappedMemory&) = delete;
    TrappedMemory& operator=(const TrappedMemory&) = delete;

    // The trapped view, for the code under test.
    [[nodiscard]] uint8_t* device() const { return m_device; }
    // The same bytes, untrapped: for presetting and checking without being counted.
    [[nodiscard]] uint8_t* view() const { return m_view; }
    [[nodiscard]] size_t size() const { return m_size; }

    // Instructions that read the device view (loads, and read-modify-writes), and that stored to it.
    [[nodiscard]] static size_t reads();
    [[nodiscard]] static size_t writes();
    static void reset_counts();

private:
    uint8_t* m_device = nullptr;
    uint8_t* m_view = nullptr;
    size_t m_size = 0;
    size_t m_mapped = 0;
};

// ---- Implementation: header-only, so a test needs no source file of its own.

namespace trap_detail {
// Prefixes that change operand size, segment or repetition, not whether the instruction reads memory.
inline bool is_legacy_prefix(uint8_t byte) {
    for (const uint8_t prefix : {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x66, 0x67, 0xF2, 0xF3}) {
        if (byte == prefix) return true;
    }
    return false;
}
}  // namespace trap_detail

// Whether the instruction at `code` only stores to its memory operand (a store fault from anything else may hide a
// read); exposed for its own test.
[[nodiscard]] inline bool is_plain_store(const uint8_t* code) {
    size_t i = 0;
    while (i < 14 && trap_detail::is_legacy_prefix(code[i])) ++i;  // LOCK (0xF0) is not skipped: it only goes with RMW.
    uint8_t map = 0;
    uint8_t opcode = 0;
    if (code[i] == 0xC5) {  // Two-byte VEX: the 0F map.
        map = 1;
        opcode = code[i + 2];
    } else if (code[i] == 0xC4) {  // Three-byte VEX.
        map = code[i + 1] & 0x1F;
        opcode = code[i + 3];
    } else if (code[i] == 0x62) {  // EVEX.
        map = code[i + 1] & 0x07;
        opcode = code[i + 4];
    } else {
        if ((code[i] & 0xF0) == 0x40) ++i;  // REX.
        map = code[i] == 0x0F ? 1 : 0;
        opcode = code[i + map];
    }
    if (map == 0) {
        // MOV r/m,r; MOV r/m,imm; MOVS (its source read faults on its own); STOS.
        return opcode == 0x88 || opcode == 0x89 || opcode == 0xC6 || opcode == 0xC7 || opcode == 0xA4 ||
               opcode == 0xA5 || opcode == 0xAA || opcode == 0xAB;
    }
    if (map == 1) {
        // MOVUPS/MOVSD/MOVSS, MOVLPS, MOVHPS, MOVAPS, MOVNTPS, MOVD/MOVQ, MOVDQA/MOVDQU, MOVNTI, MOVQ, MOVNTDQ stores.
        return opcode == 0x11 || opcode == 0x13 || opcode == 0x17 || opcode == 0x29 || opcode == 0x2B ||
               opcode == 0x7E || opcode == 0x7F || opcode == 0xC3 || opcode == 0xD6 || opcode == 0xE7;
    }
    return false;
}

namespace trap_detail {

inline constexpr size_t kPageSize = 4096;
inline constexpr greg_t kPageFaultWrite = 1 << 1;  // Bit 1 of the x86 page-fault error code: the access was a store.
inline constexpr greg_t kTrapFlag = 1 << 8;        // RFLAGS.TF: a debug trap after the next instruction.
// An instruction touches at most a few pages (a MOVS crossing page boundaries at both ends).
inline constexpr int kMaxOpenPages = 4;

// Everything the signal handlers touch: plain globals, since a handler may call nothing that locks or allocates.
struct TrapState {
    uint8_t* begin = nullptr;
    uint8_t* end = nullptr;
    volatile size_t reads = 0;
    volatile size_t writes = 0;
    uint8_t* open_pages[kMaxOpenPages] = {};
    volatile int open_count = 0;
    struct sigaction previous_segv = {};
    struct sigaction previous_trap = {};
};
inline TrapState g_trap;

inline void on_segv(int signal, siginfo_t* info, void* raw_context) {
    auto* context = static_cast<ucontext_t*>(raw_context);
    auto* address = static_cast<uint8_t*>(info->si_addr);
    if (address < g_trap.begin || address >= g_trap.end || g_trap.open_count == kMaxOpenPages) {
        // Not ours (or runaway): put the previous handler back and let the instruction fault again into it.
        sigaction(signal, &g_trap.previous_segv, nullptr);
        return;
    }
    const greg_t* registers = context->uc_mcontext.gregs;
    const bool store = (registers[REG_ERR] & kPageFaultWrite) != 0;
    if (store) g_trap.writes = g_trap.writes + 1;
    if (!store || !is_plain_store(reinterpret_cast<const uint8_t*>(registers[REG_RIP]))) {
        g_trap.reads = g_trap.reads + 1;
    }
    auto* page = reinterpret_cast<uint8_t*>(reinterpret_cast<uintptr_t>(address) & ~(kPageSize - 1));
    mprotect(page, kPageSize, PROT_READ | PROT_WRITE);
    g_trap.open_pages[g_trap.open_count] = page;
    g_trap.open_count = g_trap.open_count + 1;
    context->uc_mcontext.gregs[REG_EFL] |= kTrapFlag;
}

inline void on_trap(int signal, siginfo_t*, void* raw_context) {
    if (g_trap.open_count == 0) {
        sigaction(signal, &g_trap.previous_trap, nullptr);  // A breakpoint of someone else's: theirs to handle.
        raise(signal);
        return;
    }
    for (int i = 0; i < g_trap.open_count; ++i) mprotect(g_trap.open_pages[i], kPageSize, PROT_NONE);
    g_trap.open_count = 0;
    static_cast<ucontext_t*>(raw_context)->uc_mcontext.gregs[REG_EFL] &= ~kTrapFlag;
}

inline void install(int signal, void (*handler)(int, siginfo_t*, void*), struct sigaction* previous) {
    struct sigaction action = {};
    action.sa_sigaction = handler;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    if (sigaction(signal, &action, previous) != 0) throw std::runtime_error("sigaction failed");
}

}  // namespace trap_detail

inline TrappedMemory::TrappedMemory(size_t size, uint8_t fill) : m_size(size) {
    if (trap_detail::g_trap.begin != nullptr) throw std::logic_error("one TrappedMemory at a time");
    m_mapped = (size + trap_detail::kPageSize - 1) / trap_detail::kPageSize * trap_detail::kPageSize;
    const int fd = memfd_create("trapped-video-memory", 0);
    if (fd < 0 || ftruncate(fd, static_cast<off_t>(m_mapped + trap_detail::kPageSize)) != 0)
        throw std::runtime_error("memfd");
    // The device view runs one page longer than the memory: that page is never opened, so a store past the end
    // crashes the test instead of being counted.
    void* device = mmap(nullptr, m_mapped + trap_detail::kPageSize, PROT_NONE, MAP_SHARED, fd, 0);
    void* view = mmap(nullptr, m_mapped, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (device == MAP_FAILED || view == MAP_FAILED) throw std::runtime_error("mmap");
    m_device = static_cast<uint8_t*>(device);
    m_view = static_cast<uint8_t*>(view);
    std::memset(m_view, fill, m_mapped);
    trap_detail::g_trap.begin = m_device;
    trap_detail::g_trap.end = m_device + m_mapped;
    reset_counts();
    trap_detail::install(SIGSEGV, trap_detail::on_segv, &trap_detail::g_trap.previous_segv);
    trap_detail::install(SIGTRAP, trap_detail::on_trap, &trap_detail::g_trap.previous_trap);
}

inline TrappedMemory::~TrappedMemory() {
    sigaction(SIGSEGV, &trap_detail::g_trap.previous_segv, nullptr);
    sigaction(SIGTRAP, &trap_detail::g_trap.previous_trap, nullptr);
    trap_detail::g_trap.begin = trap_detail::g_trap.end = nullptr;
    munmap(m_device, m_mapped + trap_detail::kPageSize);
    munmap(m_view, m_mapped);
}

inline size_t TrappedMemory::reads() {
    return trap_detail::g_trap.reads;
}

inline size_t TrappedMemory::writes() {
    return trap_detail::g_trap.writes;
}

inline void TrappedMemory::reset_counts() {
    trap_detail::g_trap.reads = 0;
    trap_detail::g_trap.writes = 0;
}
