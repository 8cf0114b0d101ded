// Measures how fast the framebuffer console scrolls and how many bytes it reads back from video memory, natively.
//
// Meson builds it (tools/meson.build: the kernel files with the kernel's code-generation flags, and with its own
// memmove & co. from rt/libc.cpp, so copies cost what they cost in the kernel); `meson compile -C build bench`
// runs it, or by hand:
//   build/tools/console-scroll build/tests/host/console_font.psf
//
// Throughput: lines written to a screen already full of text, so every line scrolls, per second of CPU time, on
// plain RAM (where reads are cheap: on a real framebuffer they are uncached, and only the memmove scroll pays). "log"
// lines are 20-100 characters like a boot log; "full" lines fill the width, the worst case for a console that redraws
// only what changed. Reads: the same lines, one character at a time, on a framebuffer mapped without access; each 4 KiB
// page the console reads while drawing a character faults once and counts 4096 bytes (the host tests catch every read
// instruction; this pass only has to be fast at 4K).
#include <signal.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "console/text_grid.hpp"
#include "drivers/framebuffer.hpp"
#include "drivers/psf.hpp"
#include "lib/panic.hpp"

using namespace kernel::drivers;
using kernel::ErrorOr;
using kernel::console::TextGrid;
using kernel::console::TextGridStorage;

namespace {

constexpr uint32_t kBytesPerPixel = 4;
constexpr uint64_t kMinimumNanoseconds = 500'000'000;
constexpr size_t kReadCountLines = 16;
constexpr size_t kPageSize = 4096;

// What the fault handler needs, as plain globals: a signal handler may touch nothing else.
uint8_t* g_region = nullptr;
size_t g_region_size = 0;
volatile size_t g_pages_read = 0;

void on_segv(int, siginfo_t* info, void* context) {
    auto* address = static_cast<uint8_t*>(info->si_addr);
    if (address < g_region || address >= g_region + g_region_size) {
        signal(SIGSEGV, SIG_DFL);  // Not ours: let the fault kill the program as usual.
        return;
    }
    constexpr greg_t kWriteFault = 2;  // Bit 1 of the x86 page-fault error code.
    if ((static_cast<ucontext_t*>(context)->uc_mcontext.gregs[REG_ERR] & kWriteFault) == 0)
        g_pages_read = g_pages_read + 1;
    auto* page = reinterpret_cast<uint8_t*>(reinterpret_cast<uintptr_t>(address) & ~(kPageSize - 1));
    mprotect(page, kPageSize, PROT_READ | PROT_WRITE);
}

// CPU time, not wall time: the figure should not depend on what else the machine is running.
uint64_t now_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

// Deterministic text: words of letters and digits, `length` characters, then a newline.
std::string make_line(size_t index, size_t length) {
    std::string line;
    uint32_t state = static_cast<uint32_t>(index) * 2654435761u + 12345u;
    while (line.size() < length) {
        state = state * 1103515245u + 12345u;
        const uint32_t pick = (state >> 16) % 40;
        line += pick < 26 ? static_cast<char>('a' + pick) : pick < 36 ? static_cast<char>('0' + pick - 26) : ' ';
    }
    return line + '\n';
}

std::vector<std::string> make_lines(bool full_width, uint32_t columns) {
    std::vector<std::string> lines;
    for (size_t i = 0; i < 512; ++i) lines.push_back(make_line(i, full_width ? columns : 20 + (i * 37) % 81));
    return lines;
}

struct Screen {
    uint32_t width;
    uint32_t height;
    uint8_t* memory;
    size_t size;

    Screen(uint32_t w, uint32_t h) : width(w), height(h), size(static_cast<size_t>(w) * h * kBytesPerPixel) {
        memory = static_cast<uint8_t*>(mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    }
    ~Screen() { munmap(memory, size); }
    FramebufferSpec spec() const { return {memory, width * kBytesPerPixel, width, height, 32, 16, 8, 8, 8, 0, 8}; }
};

// The console's text on a framebuffer screen, every row already holding text so that the next line scrolls.
struct FullConsole {
    FramebufferTextStorage screen_storage;
    TextGridStorage cells;
    FramebufferText screen;
    TextGrid text;

    FullConsole(const Screen& memory, const Font& font, const std::vector<std::string>& lines)
        : screen(FramebufferText::create(memory.spec(), font, screen_storage).release_value()),
          text(screen, cells, FramebufferText::kDefaultColours) {
        text.clear();
        for (uint32_t row = 0; row < text.rows(); ++row) text.write(lines[row].data(), lines[row].size());
    }
};

void measure(const Font& font, uint32_t width, uint32_t height, bool full_width) {
    Screen screen(width, height);
    const char* kind = full_width ? "full-width" : "log";
    const auto lines = make_lines(full_width, width / font.width);
    auto console = std::make_unique<FullConsole>(screen, font, lines);
    TextGrid& text = console->text;

    size_t count = 0;
    const uint64_t start = now_ns();
    uint64_t elapsed = 0;
    do {
        const std::string& line = lines[count++ % lines.size()];
        text.write(line.data(), line.size());
        elapsed = now_ns() - start;
    } while (elapsed < kMinimumNanoseconds);
    std::printf("%ux%ux32 %s lines: %llu lines/s\n", width, height, kind,
                static_cast<unsigned long long>(count * 1'000'000'000ull / elapsed));

    g_region = screen.memory;
    g_region_size = screen.size;
    g_pages_read = 0;
    for (size_t i = 0; i < kReadCountLines; ++i) {
        // Re-armed before each character, as the kernel's printf sends them, so pages one character wrote still
        // count when the next one reads them.
        for (const char c : lines[(count + i) % lines.size()]) {
            mprotect(screen.memory, screen.size, PROT_NONE);
            text.put_char(c);
        }
    }
    mprotect(screen.memory, screen.size, PROT_READ | PROT_WRITE);
    g_region = nullptr;
    std::printf("%ux%ux32 %s lines: %llu bytes read from video memory per line\n", width, height, kind,
                static_cast<unsigned long long>(g_pages_read * kPageSize / kReadCountLines));
}

}  // namespace

// The kernel's files report a broken invariant here (the kernel's own panic() lives in rt/): a bench run stops.
void panic(const char* format, ...) {
    std::fprintf(stderr, "console_scroll: the kernel's code panicked: %s\n", format);
    std::abort();
}

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s FONT.psf (decompressed)\n", argv[0]);
        return 2;
    }
    std::ifstream file(argv[1], std::ios::binary);
    const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
    const ErrorOr<Font> font = parse_psf(bytes.data(), bytes.size());
    if (font.is_error()) {
        std::fprintf(stderr, "console_scroll: %s: %s\n", argv[1], to_string(font.error()));
        return 1;
    }
    struct sigaction action = {};
    action.sa_sigaction = on_segv;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &action, nullptr);
    for (const auto& [width, height] : {std::pair{1920u, 1080u}, std::pair{3840u, 2160u}}) {
        measure(*font, width, height, false);
        measure(*font, width, height, true);
    }
    return 0;
}
