// ErrorOr results in GoogleTest expectations: error_of() is the Error a call returned, or std::nullopt when it
// succeeded, so one EXPECT_EQ states either outcome; a failing expectation prints the error's words.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "lib/error.hpp"

namespace kernel {

inline void PrintTo(Error error, std::ostream* out) {
    *out << to_string(error);
}

template <typename T>
std::optional<Error> error_of(const ErrorOr<T>& result) {
    if (result.is_error()) return result.error();
    return std::nullopt;
}

// The words of every Error whose name starts with prefix: one layer's errors, as lib/error.hpp groups them.
inline std::vector<std::string> error_texts(std::string_view prefix) {
    std::vector<std::string> texts;
#define MINK_COLLECT_TEXT(name, message) \
    if (std::string_view(#name).starts_with(prefix)) texts.push_back(to_string(Error::name));
    MINK_ERRORS(MINK_COLLECT_TEXT)
#undef MINK_COLLECT_TEXT
    return texts;
}

}  // namespace kernel
