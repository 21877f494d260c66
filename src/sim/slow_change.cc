#include "sim/slow_change.h"

#include <numbers>

#include "sim/rng.h"

namespace iiot {

namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;

// Periods of the weather's three components, in milliseconds.
constexpr int64_t kWeatherPeriods[3] = {267'840'000, 457'920'000, 768'960'000};  // 3.1, 5.3, 8.9 d

// cos(2π x) for x in [0, 1), by symmetry reduced to θ in [0, π/2] and a Taylor series to
// θ^12 (error < 1e-8, far below any reading's resolution). Cheaper than std::cos, which
// dominated a sample, and the same bits on every platform.
double CosTurns(double x) {
  if (x > 0.5) x = 1.0 - x;  // cos(2π x) = cos(2π (1 - x))
  double sign = 1.0;
  if (x > 0.25) {  // cos(2π x) = -cos(2π (1/2 - x))
    x = 0.5 - x;
    sign = -1.0;
  }
  const double theta = kTwoPi * x;
  const double z = theta * theta;
  // 1 - z/2! + z²/4! - ... + z⁶/12!, in Horner form.
  double sum = 1.0 / 479001600.0;  // 1/12!
  sum = sum * -z + 1.0 / 3628800.0;
  sum = sum * -z + 1.0 / 40320.0;
  sum = sum * -z + 1.0 / 720.0;
  sum = sum * -z + 1.0 / 24.0;
  sum = sum * -z + 1.0 / 2.0;
  sum = sum * -z + 1.0;
  return sign * sum;
}

}  // namespace

// The phase is taken in double (exact to ~1e-9 of a period for any date this millennium):
// a 64-bit integer modulo costs more than the cosine.
double Cycle(UnixMillis t, int64_t peak, int64_t period) {
  const double turns = static_cast<double>(t - peak) / static_cast<double>(period);
  double fraction = turns - static_cast<double>(static_cast<int64_t>(turns));
  if (fraction < 0) fraction += 1.0;
  return CosTurns(fraction);
}

namespace {

double Weather(UnixMillis t, uint32_t weather_key) {
  double sum = 0;
  for (uint64_t i = 0; i < 3; ++i) {
    const int64_t period = kWeatherPeriods[i];
    const auto peak =
        static_cast<int64_t>(ToUnit(Mix64(weather_key + i)) * static_cast<double>(period));
    sum += Cycle(t, peak, period);
  }
  return sum / 3.0;
}

}  // namespace

uint32_t WeatherKey(uint64_t run_seed) {
  return static_cast<uint32_t>(Mix64(run_seed ^ 0x5745415448455221ULL) >> 32);
}

double SlowShape(SensorType type, UnixMillis t, uint32_t weather_key) {
  switch (type) {
    case SensorType::kTemperature:
    case SensorType::kSwitch:
      return Cycle(t, kDayPeakMillis, kMillisPerDay);
    case SensorType::kHumidity:
      return Cycle(t, kSeasonPeakMillis, kMillisPerYear);
    case SensorType::kPressure:
      return Weather(t, weather_key);
    case SensorType::kCurrent:
      return Cycle(t, kWeekPeakMillis, 7 * kMillisPerDay);
  }
  return 0;
}

double SlowAmplitude(const SensorsConfig& sensors, SensorType type) {
  if (!sensors.trend_enabled) return 0;
  return sensors.params[static_cast<size_t>(type)].cycle_amplitude * sensors.trend_strength;
}

}  // namespace iiot
