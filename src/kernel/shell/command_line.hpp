// A line the shell runs, cut into words at spaces the way a C program gets
// its argv, and the number a word may spell. Pure, so it is host-tested.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "console/line_editor.hpp"
#include "lib/optional.hpp"
#include "lib/panic.hpp"
#include "lib/span.hpp"

namespace kernel::shell {

class CommandLine {
public:
    static constexpr size_t kMaxLength = console::LineEditor::kCapacity;
    // Words need a space between them, so a full line holds at most this
    // many: there is always room, and no "too many words" to report.
    static constexpr size_t kMaxWords = (kMaxLength + 1) / 2;

    // Copies length characters of line (a LineEditor's line: no more than
    // kMaxLength) and cuts the copy into words: each run of characters
    // other than ' ' is one, ended by a zero where its first space was.
    CommandLine(const char* line, size_t length) {
        KASSERT(length <= kMaxLength);
        for (size_t i = 0; i < length; ++i) m_text[i] = line[i] == ' ' ? '\0' : line[i];
        m_text[length] = '\0';
        for (size_t i = 0; i < length; ++i)
            if (m_text[i] != '\0' && (i == 0 || m_text[i - 1] == '\0')) m_words[m_count++] = &m_text[i];
    }

    // Not copyable: the words point into this object's own text.
    CommandLine(const CommandLine&) = delete;
    CommandLine& operator=(const CommandLine&) = delete;

    [[nodiscard]] size_t count() const { return m_count; }
    [[nodiscard]] bool empty() const { return m_count == 0; }
    // The first word: the command's name.
    [[nodiscard]] const char* name() const {
        KASSERT(m_count > 0);
        return m_words[0];
    }
    // The words after the name.
    [[nodiscard]] lib::Span<const char* const> arguments() const {
        return m_count == 0 ? lib::Span<const char* const>() : lib::Span<const char* const>(m_words + 1, m_count - 1);
    }

private:
    char m_text[kMaxLength + 1] = {};
    const char* m_words[kMaxWords] = {};
    size_t m_count = 0;
};

// Whether two zero-terminated words are the same.
[[nodiscard]] constexpr bool same_word(const char* a, const char* b) {
    while (*a != '\0' && *a == *b) {
        ++a;
        ++b;
    }
    return *a == *b;
}

// The number a word spells in decimal digits, or nothing for an empty word,
// any other character (no sign, no spaces), or one too big for 64 bits.
[[nodiscard]] constexpr lib::Optional<uint64_t> parse_decimal(const char* word) {
    if (*word == '\0') return {};
    uint64_t value = 0;
    for (; *word != '\0'; ++word) {
        if (*word < '0' || *word > '9') return {};
        const uint64_t digit = static_cast<uint64_t>(*word - '0');
        if (value > (UINT64_MAX - digit) / 10) return {};
        value = value * 10 + digit;
    }
    return value;
}

}  // namespace kernel::shell
