#include "base/text.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <system_error>

namespace iiot::text {

namespace {

constexpr size_t kMaxShown = 60;

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Escapes quotes, backslashes and control bytes; keeps other bytes (UTF-8) as they are.
void AppendEscaped(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (IsControl(c)) {
          out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
}

}  // namespace

std::string Grouped(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  const size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  out.append(digits, 0, first);
  for (size_t i = first; i < digits.size(); i += 3) {
    out.push_back(',');
    out.append(digits, i, 3);
  }
  return out;
}

std::string Printable(std::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (!IsControl(c) || (keep_newlines && c == '\n')) {
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    }
  }
  return out;
}

bool IsControl(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

bool HasControl(std::string_view text) { return std::any_of(text.begin(), text.end(), IsControl); }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

ParseStatus ParseUnsigned(std::string_view text, uint64_t& out) {
  const std::string_view s = Trim(text);
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    return AllDigits(s.substr(1)) ? ParseStatus::kSigned : ParseStatus::kMalformed;
  }
  if (!AllDigits(s)) return ParseStatus::kMalformed;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec == std::errc::result_out_of_range) return ParseStatus::kOutOfRange;
  if (ec != std::errc() || end != s.data() + s.size()) return ParseStatus::kMalformed;
  return ParseStatus::kOk;
}

ParseStatus ParseReal(std::string_view text, double& out) {
  std::string_view s = Trim(text);
  const std::string lower = Lower(s);
  static constexpr std::array<std::string_view, 12> kNonFinite = {
      ".inf", "+.inf", "-.inf", ".nan",     "inf",       "+inf",
      "-inf", "nan",   "-nan",  "infinity", "+infinity", "-infinity"};
  if (std::find(kNonFinite.begin(), kNonFinite.end(), lower) != kNonFinite.end()) {
    return ParseStatus::kNotFinite;
  }
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty() || s.front() == '+') return ParseStatus::kMalformed;
  // from_chars accepts "inf"/"nan" spellings (handled above) and hex only with a flag.
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (end != s.data() + s.size()) return ParseStatus::kMalformed;
  if (ec == std::errc::result_out_of_range) return ParseStatus::kNotFinite;
  if (ec != std::errc()) return ParseStatus::kMalformed;
  if (!std::isfinite(out)) return ParseStatus::kNotFinite;
  return ParseStatus::kOk;
}

std::optional<bool> ParseBool(std::string_view text) {
  const std::string s = Lower(Trim(text));
  if (s == "true" || s == "yes" || s == "on" || s == "1") return true;
  if (s == "false" || s == "no" || s == "off" || s == "0") return false;
  return std::nullopt;
}

std::string FormatReal(double value) { return fmt::format("{}", value); }

std::string Quote(std::string_view value) {
  std::string out = "\"";
  AppendEscaped(out, value.substr(0, kMaxShown));
  out += '"';
  if (value.size() > kMaxShown) out += fmt::format("... ({} bytes)", value.size());
  return out;
}

std::string Shorten(std::string_view value) {
  if (value.size() <= kMaxShown) return std::string(value);
  return fmt::format("{}... ({} digits)", value.substr(0, kMaxShown), value.size());
}

std::string YamlQuote(std::string_view value) {
  std::string out = "\"";
  AppendEscaped(out, value);
  out += '"';
  return out;
}

std::string WithArticle(std::string_view noun) {
  if (noun.rfind("one of ", 0) == 0) return std::string(noun);
  const bool vowel =
      !noun.empty() && std::string_view("aeiou").find(noun.front()) != std::string_view::npos;
  return fmt::format("{} {}", vowel ? "an" : "a", noun);
}

std::string Seconds(std::chrono::duration<double> t, SecondsStyle style) {
  const double s = t.count();
  if (style == SecondsStyle::kMeasured) {
    return s < 1 ? fmt::format("{:.0f} ms", s * 1000) : fmt::format("{:.2f} s", s);
  }
  if (std::trunc(s) == s) return fmt::format("{} s", static_cast<int64_t>(s));
  return fmt::format("{:.1f} s", s);
}

}  // namespace iiot::text
