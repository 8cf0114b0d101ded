// The message stream's dispatch to whatever sink the console registered.
#include "lib/log.hpp"

#include "lib/format.hpp"
#include "lib/string.hpp"

namespace kernel::log {

namespace {

constinit Sink g_sink{};

// A printf's text, gathered so that it reaches the sink in one write: the
// console writes with interrupts off, so a line from an interrupt handler
// never lands in the middle of one. Longer text goes out in pieces.
struct Pending {
    char text[160];
    size_t length = 0;
};

void put_char(char c, void* context) {
    Pending& pending = *static_cast<Pending*>(context);
    if (pending.length == sizeof pending.text) {
        write(pending.text, pending.length);
        pending.length = 0;
    }
    pending.text[pending.length++] = c;
}

}  // namespace

void set_sink(const Sink& sink) {
    g_sink = sink;
}

void write(const char* text, size_t length) {
    if (g_sink.write != nullptr) g_sink.write(text, length);
}

void print(const char* text) {
    write(text, lib::string_length(text));
}

void vprintf(const char* format, va_list arguments) {
    Pending pending;
    lib::format(put_char, &pending, format, arguments);
    write(pending.text, pending.length);
}

void printf(const char* format, ...) {
    va_list arguments;
    va_start(arguments, format);
    vprintf(format, arguments);
    va_end(arguments);
}

void set_tone(Tone tone) {
    if (g_sink.set_tone != nullptr) g_sink.set_tone(tone);
}

void print_emergency(const char* text) {
    if (g_sink.write_emergency != nullptr) g_sink.write_emergency(text, lib::string_length(text));
}

}  // namespace kernel::log
