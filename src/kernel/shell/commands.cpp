// The shell's commands: a function each, and one table at the bottom that
// names them. Adding a command is writing its function and adding its line
// to kCommands; `help` lists it from there.
#include "shell/commands.hpp"

#include <stddef.h>
#include <stdint.h>

#include "console/console.hpp"
#include "drivers/acpi_power.hpp"
#include "drivers/lapic_timer.hpp"
#include "lib/format.hpp"
#include "lib/log.hpp"
#include "mm/memory.hpp"
#include "sched/thread.hpp"

namespace kernel::shell {

namespace {

// The words after the command's name.
using Arguments = lib::Span<const char* const>;

struct Command {
    const char* name;
    const char* usage;  // the arguments it takes, as help shows them ("" for none)
    const char* help;   // what it does, in one line
    void (*run)(Arguments arguments);
};

void help(Arguments);

// One line per thread, oldest first. The list is a snapshot: threads may
// come and go while it prints.
void ps(Arguments) {
    constexpr size_t kShown = 32;  // a 1.5 KiB snapshot on the shell's stack
    sched::ThreadInfo threads[kShown];
    const size_t count = sched::list_threads(threads, kShown);
    log::print("   ID STATE       CPU ms  NAME\n");
    for (size_t i = 0; i < count && i < kShown; ++i) {
        const sched::ThreadInfo& thread = threads[i];
        log::printf("%5llu %-9s %8llu  %s\n", (unsigned long long)thread.id, sched::to_string(thread.state),
                    (unsigned long long)thread.cpu_time_ms, thread.name);
    }
    if (count > kShown) log::printf("(and %zu more)\n", count - kShown);
}

void uptime(Arguments) {
    log::printf("up %llu ms\n", (unsigned long long)drivers::uptime_ms());
}

// At most a day: far beyond any use at a prompt, and far from where the
// scheduler's wake-up time (in TSC cycles) would overflow.
void sleep(Arguments arguments) {
    constexpr uint64_t kMaxMs = 24 * 60 * 60 * 1000;
    const lib::Optional<uint64_t> ms = arguments.size() == 1 ? parse_decimal(arguments[0]) : lib::kNone;
    if (!ms || *ms > kMaxMs) {
        log::printf("usage: sleep MS (a whole number of milliseconds, at most %llu)\n", (unsigned long long)kMaxMs);
        return;
    }
    sched::sleep_ms(*ms);
}

void mem(Arguments) {
    const mm::FrameAllocator& frames = mm::frame_allocator();
    const mm::HeapStats heap = mm::kernel_heap().stats();
    log::printf("frames: %llu free of %llu (%llu MiB free)\n", (unsigned long long)frames.free_frames(),
                (unsigned long long)frames.total_frames(),
                (unsigned long long)(frames.free_frames() * mm::kPageSize >> 20));
    log::printf("heap:   %llu bytes in use, %llu KiB mapped\n", (unsigned long long)heap.bytes_in_use,
                (unsigned long long)(heap.bytes_mapped >> 10));
}

void echo(Arguments arguments) {
    for (size_t i = 0; i < arguments.size(); ++i) log::printf(i == 0 ? "%s" : " %s", arguments[i]);
    log::print("\n");
}

void clear(Arguments) {
    console::clear();
}

// ACPI S5, as found at boot; where it cannot be entered, the machine halts with the reason on the screen.
void shutdown(Arguments) {
    drivers::power_off();
}

// Every command, in the order help lists them.
constexpr Command kCommands[] = {
    {"help", "", "lists the commands", help},
    {"ps", "", "lists the threads: id, state, CPU time, name", ps},
    {"uptime", "", "says how long ago the kernel started", uptime},
    {"sleep", "MS", "sleeps MS milliseconds", sleep},
    {"mem", "", "free frames and heap in use", mem},
    {"echo", "WORDS", "prints its words", echo},
    {"clear", "", "clears the screen", clear},
    {"shutdown", "", "switches the machine off (ACPI S5)", shutdown},
};

void help(Arguments) {
    for (const Command& command : kCommands) {
        char call[32];
        lib::format_to(call, sizeof call, "%s %s", command.name, command.usage);
        log::printf("  %-14s %s\n", call, command.help);
    }
}

}  // namespace

void run_command(const CommandLine& line) {
    for (const Command& command : kCommands) {
        if (same_word(command.name, line.name())) {
            command.run(line.arguments());
            return;
        }
    }
    log::printf("%s: command not found\n", line.name());
}

}  // namespace kernel::shell
