// The kernel's message stream: every layer prints through it, and the console
// registers itself as its sink once a device is up (until then nothing shows).
// Keeps arch, mm and the runtime free of any knowledge of screens or serial.
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

namespace kernel::log {

// Emphasis on screens that have colour: errors stand out.
enum class Tone : uint8_t { Normal, Bad };

struct Sink {
    void (*write)(const char* text, size_t length);
    void (*set_tone)(Tone tone);
    // The least that can still be said when the normal path may itself be
    // broken (a fault while reporting a fault): serial only, no screen.
    void (*write_emergency)(const char* text, size_t length);
};

void set_sink(const Sink& sink);

void write(const char* text, size_t length);
void print(const char* text);
[[gnu::format(printf, 1, 2)]] void printf(const char* format, ...);
void vprintf(const char* format, va_list arguments);
void set_tone(Tone tone);
void print_emergency(const char* text);

}  // namespace kernel::log
