// Sensor values travel rounded to 0.01 in both formats, so a JSON consumer and a Protobuf
// consumer of the same run see the same numbers: the JSON text "24.87" parses to exactly
// the double the Protobuf message carries. Pure functions; thread-safe.
//
// Rounding is to the nearest cent of v * 100, ties away from zero; -0.004 becomes 0, never
// -0. Values too large for whole cents in an int64 (|v| >= 1e15, never produced by the
// sensor models) and non-finite values are left as they are.
#pragma once

#include <cmath>
#include <cstdint>

namespace iiot {

inline constexpr double kMaxCentsMagnitude = 1e15;

// True when v is finite and small enough to be carried as whole cents.
inline bool FitsCents(double v) { return std::fabs(v) < kMaxCentsMagnitude; }

// v in hundredths, rounded; requires FitsCents(v). std::llround's result (half away from
// zero), without its library call: x - trunc(x) is exact for any |x| < 2^63.
inline int64_t ToCents(double v) {
  const double x = v * 100.0;
  const auto whole = static_cast<int64_t>(x);  // toward zero
  const double rest = x - static_cast<double>(whole);
  return whole + (rest >= 0.5 ? 1 : 0) - (rest <= -0.5 ? 1 : 0);
}

// v rounded to 0.01 (a +0.0 for anything that rounds to zero).
inline double RoundToCents(double v) {
  return FitsCents(v) ? static_cast<double>(ToCents(v)) / 100.0 : v;
}

}  // namespace iiot
