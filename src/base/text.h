// Text-level parsing and formatting: numbers, booleans, quoting of values in error
// messages and in generated YAML. Used by every config source and by the parts that
// print values back to the operator.
//
// All functions are pure and thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace iiot::text {

enum class ParseStatus {
  kOk,
  kMalformed,   // not a number of the expected kind ("ten", "1.5" for an integer)
  kOutOfRange,  // a number, but beyond the type (overflow)
  kSigned,      // unsigned only: digits after a sign ("+5", "-0", "-3")
  kNotFinite,   // NaN, infinity, or a real too large for a double
};

// True for an ASCII control character (0x00..0x1f, 0x7f).
bool IsControl(char c);
// True when `text` holds one: such text is no valid path, user name, password or client id.
bool HasControl(std::string_view text);

// `text` safe to print on a terminal or in a log line: every control byte written as an
// escape ("\n", "\t", "\r", "\x1b"), so that no text from a file, a file name or the
// environment can move the cursor, recolour the terminal or start a line of its own.
// With keep_newlines, '\n' stays (multi-line text of our own, such as --help). Quotes,
// backslashes and UTF-8 are kept as they are.
std::string Printable(std::string_view text, bool keep_newlines = false);

// n with thousands separated by commas: "1,234,567".
std::string Grouped(uint64_t n);

// ASCII whitespace trimmed from both ends.
std::string_view Trim(std::string_view text);

// Decimal digits only ("42"); "+5", "-0" and "-3" are kSigned, "99999999999999999999" is
// kOutOfRange.
ParseStatus ParseUnsigned(std::string_view text, uint64_t& out);

// A finite decimal real ("0.3", "1e-5", "+2", ".5"). YAML's .inf/.nan are kNotFinite.
ParseStatus ParseReal(std::string_view text, double& out);

// true|false|yes|no|on|off|1|0 (any case).
std::optional<bool> ParseBool(std::string_view text);

// Shortest text that reads back as the same double ("0.3", "1e-05", "25").
std::string FormatReal(double value);

// A value as shown in an error message: double-quoted, control characters escaped, cut
// to 60 characters ("\"gzipp\"", "\"aaaa...\" (1048576 bytes)").
std::string Quote(std::string_view value);
// Like Quote but without the quotes, for values known to be numeric text.
std::string Shorten(std::string_view value);

// A YAML double-quoted scalar that loads back as exactly `value`.
std::string YamlQuote(std::string_view value);

// "an unsigned integer", "a duration", "one of a|b" (no article before "one of").
std::string WithArticle(std::string_view noun);

// How Seconds writes a time in a message.
enum class SecondsStyle {
  kBound,     // a timeout or wait: whole seconds bare, else one decimal ("10 s", "0.5 s")
  kMeasured,  // a latency: whole ms under a second, else two decimals ("250 ms", "1.25 s")
};
// A time in seconds for an operator message: "10 s", "2.5 s" (kBound); "250 ms", "5.00 s"
// (kMeasured). Takes std::chrono::milliseconds as well.
std::string Seconds(std::chrono::duration<double> t, SecondsStyle style = SecondsStyle::kBound);

}  // namespace iiot::text
