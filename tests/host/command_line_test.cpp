// Host tests of how the shell cuts a line into words and reads a number.
#include "shell/command_line.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace {

using kernel::shell::CommandLine;
using kernel::shell::parse_decimal;
using kernel::shell::same_word;

// The name and the arguments, as one list.
std::vector<std::string> words(const std::string& line) {
    const CommandLine command(line.data(), line.size());
    std::vector<std::string> out;
    if (command.empty()) return out;
    out.push_back(command.name());
    for (const char* argument : command.arguments()) out.push_back(argument);
    EXPECT_EQ(out.size(), command.count());
    return out;
}

using Words = std::vector<std::string>;

TEST(CommandLine, ANameAloneHasNoArguments) {
    EXPECT_EQ(words("ps"), Words({"ps"}));
    const std::string line = "ps";
    EXPECT_TRUE(CommandLine(line.data(), line.size()).arguments().empty());
}

TEST(CommandLine, SpacesSplitWordsHoweverManyThereAre) {
    EXPECT_EQ(words("sleep 2000"), Words({"sleep", "2000"}));
    EXPECT_EQ(words("  echo   a  b "), Words({"echo", "a", "b"}));
}

TEST(CommandLine, AnEmptyOrBlankLineHasNoWords) {
    EXPECT_TRUE(words("").empty());
    EXPECT_TRUE(words("     ").empty());
    const std::string blank = "   ";
    const CommandLine command(blank.data(), blank.size());
    EXPECT_TRUE(command.empty());
    EXPECT_TRUE(command.arguments().empty());
    EXPECT_THROW((void)command.name(), std::runtime_error);
}

TEST(CommandLine, OnlyTheGivenLengthIsRead) {
    const char line[] = "uptime and more";
    EXPECT_EQ(CommandLine(line, 6).count(), 1u);
    EXPECT_STREQ(CommandLine(line, 6).name(), "uptime");
}

TEST(CommandLine, AFullLineOfOneLetterWordsFits) {
    std::string line = "x";
    while (line.size() + 2 <= CommandLine::kMaxLength) line += " x";
    EXPECT_EQ(words(line).size(), CommandLine::kMaxWords);
}

TEST(CommandLine, ALineLongerThanTheEditorsIsABug) {
    const std::string line(CommandLine::kMaxLength + 1, 'x');
    EXPECT_THROW(CommandLine(line.data(), line.size()), std::runtime_error);
}

TEST(SameWord, ComparesWholeWords) {
    EXPECT_TRUE(same_word("ps", "ps"));
    EXPECT_TRUE(same_word("", ""));
    EXPECT_FALSE(same_word("ps", "psx"));
    EXPECT_FALSE(same_word("psx", "ps"));
    EXPECT_FALSE(same_word("Ps", "ps"));
}

TEST(ParseDecimal, ReadsDigits) {
    EXPECT_EQ(parse_decimal("0").value(), 0u);
    EXPECT_EQ(parse_decimal("2000").value(), 2000u);
    EXPECT_EQ(parse_decimal("007").value(), 7u);
    EXPECT_EQ(parse_decimal("18446744073709551615").value(), UINT64_MAX);
}

TEST(ParseDecimal, RefusesAnythingElse) {
    for (const char* word :
         {"", "-1", "+1", "12ms", "1.5", "0x10", " 1", "18446744073709551616", "99999999999999999999"})
        EXPECT_FALSE(parse_decimal(word).has_value()) << word;
}

}  // namespace
