// The one ISO-8601 calendar of the project: UTC timestamps with millisecond precision, the
// form of the JSON message's "ts" ("2026-11-21T10:00:00.123Z"), and the civil-date
// arithmetic under config's timestamps. Proleptic Gregorian calendar, computed
// arithmetically (no gmtime, no locale, no time zone database). Pure functions; thread-safe.
//
// Example:
//   char text[kIsoMillisLength];
//   FormatIsoMillis(1'795'255'200'123, text);   // "2026-11-21T10:00:00.123Z"
//   UnixMillis ts;
//   bool ok = ParseIsoMillis({text, kIsoMillisLength}, &ts);   // ts == 1'795'255'200'123
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace iiot {

// Unix time in milliseconds (UTC).
using UnixMillis = int64_t;

// "YYYY-MM-DDTHH:MM:SS" and "YYYY-MM-DDTHH:MM:SS.mmmZ".
inline constexpr size_t kIsoSecondsLength = 19;
inline constexpr size_t kIsoMillisLength = 24;

// The instants with a four-digit year: 0000-01-01T00:00:00.000Z .. 9999-12-31T23:59:59.999Z.
inline constexpr UnixMillis kMinIsoMillis = -62'167'219'200'000;
inline constexpr UnixMillis kMaxIsoMillis = 253'402'300'799'999;

// Days since 1970-01-01 of a civil date (month 1..12, day 1..31), and back.
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
struct CivilDate {
  int64_t year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};
CivilDate CivilFromDays(int64_t days);
// True for a real date: month 1..12, day 1..the month's length (leap years counted).
bool IsCivilDate(int64_t year, unsigned month, unsigned day);

// Writes the kIsoSecondsLength chars of the second `unix_seconds` (clamped into the
// four-digit-year range).
void FormatIsoSeconds(int64_t unix_seconds, char* out);

// Writes kIsoMillisLength chars; ts is clamped into [kMinIsoMillis, kMaxIsoMillis].
void FormatIsoMillis(UnixMillis ts, char* out);
// The same as a string.
std::string IsoMillisText(UnixMillis ts);

// Parses exactly the form FormatIsoMillis writes (24 chars, 'T', ".mmm", 'Z'), checking
// every field's range including the day of the month. False on anything else.
[[nodiscard]] bool ParseIsoMillis(std::string_view text, UnixMillis* out);

}  // namespace iiot
