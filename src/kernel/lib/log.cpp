// The message stream's dispatch to whatever sink the console registered.
#include "lib/log.hpp"

#include "lib/format.hpp"
#include "lib/string.hpp"

namespace kernel::log {

namespace {

constinit Sink g_sink{};

void put_char(char c, void*) {
    write(&c, 1);
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
    lib::format(put_char, nullptr, format, arguments);
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
