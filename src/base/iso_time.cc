#include "base/iso_time.h"

#include <algorithm>

namespace iiot {
namespace {

constexpr int64_t kSecondsPerDay = 86'400;

// Floor division and modulo for a positive divisor.
constexpr int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b < 0 ? 1 : 0); }
constexpr int64_t FloorMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }

void Write2(unsigned v, char* out) {
  out[0] = static_cast<char>('0' + v / 10);
  out[1] = static_cast<char>('0' + v % 10);
}

bool IsLeap(int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

unsigned DaysInMonth(int64_t year, unsigned month) {
  static constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

// Reads n decimal digits; false if any char is not a digit.
bool ReadDigits(std::string_view s, size_t pos, size_t n, unsigned* out) {
  unsigned v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + static_cast<unsigned>(s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

bool IsCivilDate(int64_t year, unsigned month, unsigned day) {
  return month >= 1 && month <= 12 && day >= 1 && day <= DaysInMonth(year, month);
}

// Howard Hinnant's days_from_civil / civil_from_days (eras of 400 years, March-based years).
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = FloorDiv(year, 400);
  const auto yoe = static_cast<unsigned>(year - era * 400);  // [0, 399]
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
  return era * 146'097 + static_cast<int64_t>(doe) - 719'468;
}

CivilDate CivilFromDays(int64_t days) {
  days += 719'468;
  const int64_t era = FloorDiv(days, 146'097);
  const auto doe = static_cast<unsigned>(days - era * 146'097);                  // [0, 146096]
  const unsigned yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;  // [0, 399]
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                  // [0, 365]
  const unsigned mp = (5 * doy + 2) / 153;                                       // [0, 11]
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = static_cast<int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month, day};
}

void FormatIsoSeconds(int64_t unix_seconds, char* out) {
  unix_seconds = std::clamp<int64_t>(unix_seconds, FloorDiv(kMinIsoMillis, 1000),
                                     FloorDiv(kMaxIsoMillis, 1000));
  const CivilDate date = CivilFromDays(FloorDiv(unix_seconds, kSecondsPerDay));
  const auto sod = static_cast<unsigned>(FloorMod(unix_seconds, kSecondsPerDay));
  const auto year = static_cast<unsigned>(date.year);  // 0..9999 after the clamp
  Write2(year / 100, out);
  Write2(year % 100, out + 2);
  out[4] = '-';
  Write2(date.month, out + 5);
  out[7] = '-';
  Write2(date.day, out + 8);
  out[10] = 'T';
  Write2(sod / 3600, out + 11);
  out[13] = ':';
  Write2(sod / 60 % 60, out + 14);
  out[16] = ':';
  Write2(sod % 60, out + 17);
}

void FormatIsoMillis(UnixMillis ts, char* out) {
  ts = std::clamp(ts, kMinIsoMillis, kMaxIsoMillis);
  FormatIsoSeconds(FloorDiv(ts, 1000), out);
  const auto ms = static_cast<unsigned>(FloorMod(ts, 1000));
  out[19] = '.';
  out[20] = static_cast<char>('0' + ms / 100);
  Write2(ms % 100, out + 21);
  out[23] = 'Z';
}

bool ParseIsoMillis(std::string_view s, UnixMillis* out) {
  if (s.size() != kIsoMillisLength || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
      s[16] != ':' || s[19] != '.' || s[23] != 'Z') {
    return false;
  }
  unsigned year, month, day, hour, minute, second, ms;
  if (!ReadDigits(s, 0, 4, &year) || !ReadDigits(s, 5, 2, &month) || !ReadDigits(s, 8, 2, &day) ||
      !ReadDigits(s, 11, 2, &hour) || !ReadDigits(s, 14, 2, &minute) ||
      !ReadDigits(s, 17, 2, &second) || !ReadDigits(s, 20, 3, &ms)) {
    return false;
  }
  if (!IsCivilDate(year, month, day) || hour > 23 || minute > 59 || second > 59) {
    return false;
  }
  const int64_t days = DaysFromCivil(year, month, day);
  const int64_t seconds = days * kSecondsPerDay + hour * 3600 + minute * 60 + second;
  *out = seconds * 1000 + ms;
  return true;
}

std::string IsoMillisText(UnixMillis ts) {
  char buf[kIsoMillisLength];
  FormatIsoMillis(ts, buf);
  return {buf, kIsoMillisLength};
}

}  // namespace iiot
