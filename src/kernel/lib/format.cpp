// The printf-style formatter shared by the consoles, panic and test output.
#include "lib/format.hpp"

#include <stdint.h>

#include "lib/string.hpp"

namespace kernel::lib {

namespace {

struct Spec {
    bool left_align = false;
    bool zero_pad = false;
    bool alternate = false;  // '#': 0x before hexadecimal digits
    unsigned width = 0;
    int length = 0;  // number of 'l' (2 also for 'z')
};

struct Output {
    FormatSink sink;
    void* context;
    size_t count = 0;
    void put(char c) {
        sink(c, context);
        ++count;
    }
    void repeat(char c, unsigned n) {
        while (n-- > 0) put(c);
    }
};

void put_padded(Output& out, const Spec& spec, const char* text, unsigned length, bool negative) {
    const unsigned body = length + (negative ? 1 : 0);
    const unsigned padding = spec.width > body ? spec.width - body : 0;
    if (!spec.left_align && !spec.zero_pad) out.repeat(' ', padding);
    if (negative) out.put('-');
    if (!spec.left_align && spec.zero_pad) out.repeat('0', padding);
    for (unsigned i = 0; i < length; ++i) out.put(text[i]);
    if (spec.left_align) out.repeat(' ', padding);
}

void put_unsigned(Output& out, const Spec& spec, uint64_t value, unsigned base, bool upper, bool negative) {
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char text[24];
    unsigned length = 0;
    do {
        text[sizeof text - 1 - length++] = digits[value % base];
        value /= base;
    } while (value != 0);
    put_padded(out, spec, text + sizeof text - length, length, negative);
}

uint64_t take_unsigned(const Spec& spec, va_list& arguments) {
    if (spec.length >= 2) return va_arg(arguments, unsigned long long);
    if (spec.length == 1) return va_arg(arguments, unsigned long);
    return va_arg(arguments, unsigned int);
}

int64_t take_signed(const Spec& spec, va_list& arguments) {
    if (spec.length >= 2) return va_arg(arguments, long long);
    if (spec.length == 1) return va_arg(arguments, long);
    return va_arg(arguments, int);
}

// Parses flags, width and length after '%'; returns the conversion character.
char parse_spec(const char*& cursor, Spec& spec) {
    for (;; ++cursor)
        if (*cursor == '-')
            spec.left_align = true;
        else if (*cursor == '0')
            spec.zero_pad = true;
        else if (*cursor == '#')
            spec.alternate = true;
        else
            break;
    while (*cursor >= '0' && *cursor <= '9' && spec.width < 1000)
        spec.width = spec.width * 10 + unsigned(*cursor++ - '0');
    while (*cursor == 'l' || *cursor == 'z') spec.length += *cursor++ == 'z' ? 2 : 1;
    return *cursor;
}

void put_conversion(Output& out, Spec& spec, char conversion, va_list& arguments) {
    switch (conversion) {
    case 'c': {
        const char c = static_cast<char>(va_arg(arguments, int));
        put_padded(out, spec, &c, 1, false);
        break;
    }
    case 's': {
        const char* text = va_arg(arguments, const char*);
        if (text == nullptr) text = "(null)";
        const auto length = static_cast<unsigned>(string_length(text));
        spec.zero_pad = false;
        put_padded(out, spec, text, length, false);
        break;
    }
    case 'd':
    case 'i': {
        const int64_t value = take_signed(spec, arguments);
        // Negate in unsigned arithmetic: -INT64_MIN overflows a signed type.
        const uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
        put_unsigned(out, spec, magnitude, 10, false, value < 0);
        break;
    }
    case 'u': put_unsigned(out, spec, take_unsigned(spec, arguments), 10, false, false); break;
    case 'x':
    case 'X':
        if (spec.alternate) {
            out.put('0');
            out.put(conversion);
        }
        put_unsigned(out, spec, take_unsigned(spec, arguments), 16, conversion == 'X', false);
        break;
    case 'p': {
        out.put('0');
        out.put('x');
        Spec pointer_spec{false, true, false, 16, 2};
        put_unsigned(out, pointer_spec, reinterpret_cast<uintptr_t>(va_arg(arguments, void*)), 16, false, false);
        break;
    }
    case '%': out.put('%'); break;
    default:
        out.put('%');
        if (conversion != '\0') out.put(conversion);
        break;
    }
}

struct BufferContext {
    char* buffer;
    size_t size;
    size_t used;
};

void put_in_buffer(char c, void* context) {
    auto* buffer = static_cast<BufferContext*>(context);
    if (buffer->used + 1 < buffer->size) buffer->buffer[buffer->used] = c;
    ++buffer->used;
}

}  // namespace

size_t format(FormatSink sink, void* context, const char* format, va_list arguments) {
    Output out{sink, context};
    va_list args;
    va_copy(args, arguments);
    for (const char* cursor = format; *cursor != '\0'; ++cursor) {
        if (*cursor != '%') {
            out.put(*cursor);
            continue;
        }
        ++cursor;
        Spec spec;
        const char conversion = parse_spec(cursor, spec);
        put_conversion(out, spec, conversion, args);
        if (conversion == '\0') break;
    }
    va_end(args);
    return out.count;
}

size_t format_to_v(char* buffer, size_t size, const char* format_string, va_list arguments) {
    BufferContext context{buffer, size, 0};
    const size_t length = format(put_in_buffer, &context, format_string, arguments);
    if (size > 0) buffer[length < size ? length : size - 1] = '\0';
    return length;
}

size_t format_to(char* buffer, size_t size, const char* format_string, ...) {
    va_list arguments;
    va_start(arguments, format_string);
    const size_t length = format_to_v(buffer, size, format_string, arguments);
    va_end(arguments);
    return length;
}

}  // namespace kernel::lib
