// Durations ("250ms", "5s", bare seconds) and UTC timestamps (ISO-8601, a date, "now") as
// config text: the public ParseDuration / ParseTimestamp / FormatDuration / FormatTimestamp.
#include <fmt/format.h>

#include <array>
#include <string_view>

#include "base/text.h"
#include "config/config_loader.h"

namespace iiot {

namespace {

using text::Quote;
using text::Trim;

constexpr int64_t kMsPerDay = 86'400'000;
constexpr int64_t kMaxDurationMs = 100LL * 365 * kMsPerDay;  // 100 years

struct DurationUnit {
  std::string_view suffix;
  int64_t ms;
};
// Longest suffix first so "ms" is not read as "m" + "s".
constexpr std::array<DurationUnit, 6> kUnits = {
    {{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", kMsPerDay}, {"", 1000}}};

Failure BadDuration(std::string_view text, std::string_view why = {}) {
  return ConfigFail(
      fmt::format("{} is not a duration{} (e.g. 250ms, 5s, 2m, 1h, 1d, or a number of seconds)",
                  Quote(text), why.empty() ? "" : fmt::format(": {}", why)));
}

Failure BadTimestamp(std::string_view text) {
  return ConfigFail(
      fmt::format("{} is not a timestamp (ISO-8601 UTC such as 2026-01-01T00:00:00Z or "
                  "2026-01-01T00:00:00.250Z, a date such as 2026-01-01, or now)",
                  Quote(text)));
}

// Reads exactly n decimal digits at s[i...]; advances i.
bool ReadDigits(std::string_view s, size_t& i, int n, int& out) {
  if (i + static_cast<size_t>(n) > s.size()) return false;
  out = 0;
  for (int k = 0; k < n; ++k, ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

bool ReadChar(std::string_view s, size_t& i, char c) {
  if (i >= s.size() || s[i] != c) return false;
  ++i;
  return true;
}

}  // namespace

Result<Millis> ParseDuration(const std::string& text) {
  const std::string_view s = Trim(text);
  size_t i = 0;
  uint64_t whole = 0;
  bool any_digit = false;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    any_digit = true;
    if (whole > static_cast<uint64_t>(kMaxDurationMs))
      return BadDuration(text, "longer than 100 years");
    whole = whole * 10 + static_cast<uint64_t>(s[i] - '0');
  }
  uint64_t fraction = 0;  // digits after '.', as an integer over 10^fraction_digits
  uint64_t scale = 1;
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      any_digit = true;
      if (scale >= 1'000'000'000) return BadDuration(text, "more than 9 decimals");
      fraction = fraction * 10 + static_cast<uint64_t>(s[i] - '0');
      scale *= 10;
    }
  }
  if (!any_digit) return BadDuration(text);
  const std::string_view suffix = s.substr(i);
  const DurationUnit* unit = nullptr;
  for (const DurationUnit& u : kUnits) {
    if (suffix == u.suffix) {
      unit = &u;
      break;
    }
  }
  if (unit == nullptr) return BadDuration(text);
  const auto unit_ms = static_cast<uint64_t>(unit->ms);
  if (whole > static_cast<uint64_t>(kMaxDurationMs) / unit_ms)
    return BadDuration(text, "longer than 100 years");
  if ((fraction * unit_ms) % scale != 0)
    return BadDuration(text, "not a whole number of milliseconds");
  const uint64_t total = whole * unit_ms + fraction * unit_ms / scale;
  if (total > static_cast<uint64_t>(kMaxDurationMs))
    return BadDuration(text, "longer than 100 years");
  return Millis{static_cast<Millis::rep>(total)};
}

Result<std::optional<UnixMillis>> ParseTimestamp(const std::string& text) {
  const std::string_view s = Trim(text);
  if (s == "now" || s == "NOW" || s == "Now") return std::optional<UnixMillis>{};
  size_t i = 0;
  int year = 0, month = 0, day = 0;
  if (!ReadDigits(s, i, 4, year) || !ReadChar(s, i, '-') || !ReadDigits(s, i, 2, month) ||
      !ReadChar(s, i, '-') || !ReadDigits(s, i, 2, day)) {
    return BadTimestamp(text);
  }
  if (!IsCivilDate(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) || year < 1970) {
    return BadTimestamp(text);
  }
  int hour = 0, minute = 0, second = 0, millis = 0;
  if (i < s.size()) {
    if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') return BadTimestamp(text);
    ++i;
    if (!ReadDigits(s, i, 2, hour) || !ReadChar(s, i, ':') || !ReadDigits(s, i, 2, minute) ||
        !ReadChar(s, i, ':') || !ReadDigits(s, i, 2, second)) {
      return BadTimestamp(text);
    }
    if (hour > 23 || minute > 59 || second > 59) return BadTimestamp(text);
    if (i < s.size() && s[i] == '.') {
      ++i;
      int digits = 0;
      for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++digits) {
        if (digits < 3) millis = millis * 10 + (s[i] - '0');
      }
      if (digits == 0 || digits > 9) return BadTimestamp(text);
      for (int k = digits; k < 3; ++k) millis *= 10;
    }
    const std::string_view zone = s.substr(i);
    if (zone != "Z" && zone != "z" && zone != "+00:00") return BadTimestamp(text);
  }
  const int64_t days =
      DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return std::optional<UnixMillis>{days * kMsPerDay + hour * 3'600'000LL + minute * 60'000LL +
                                   second * 1000LL + millis};
}

std::string FormatDuration(Millis d) {
  const int64_t ms = d.count();
  if (ms == 0) return "0s";
  for (const DurationUnit& u : {kUnits[4], kUnits[3], kUnits[2], kUnits[1]}) {
    if (ms % u.ms == 0) return fmt::format("{}{}", ms / u.ms, u.suffix);
  }
  return fmt::format("{}ms", ms);
}

std::string FormatTimestamp(UnixMillis t) {
  char text[kIsoMillisLength];
  FormatIsoMillis(t, text);
  // "...:SS.mmmZ", or "...:SSZ" when the milliseconds are zero.
  std::string out(text, t % 1000 == 0 ? kIsoSecondsLength : kIsoMillisLength - 1);
  out += 'Z';
  return out;
}

}  // namespace iiot
