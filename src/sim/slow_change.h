// Slow changes of the sensor models: the day/night cycle, the seasons, the weather, the
// weekly load and the switches' daily usage. Each is a deterministic function of time (the
// weather also of the run seed), so devices hold no state for them and every device of a
// run sees the same weather. Pure functions; thread-safe.
//
// Example:
//   double shape = SlowShape(SensorType::kTemperature, t, WeatherKey(seed));  // in [-1, 1]
//   double slow = SlowAmplitude(cfg.sensors, SensorType::kTemperature) * shape;
#pragma once

#include <cstdint>

#include "config/config.h"

namespace iiot {

inline constexpr int64_t kMillisPerHour = 3'600'000;
inline constexpr int64_t kMillisPerDay = 24 * kMillisPerHour;
inline constexpr int64_t kMillisPerYear = 31'557'600'000;  // 365.25 days

// Local time is taken to be UTC everywhere.
inline constexpr int64_t kDayPeakMillis = 15 * kMillisPerHour;    // mid-afternoon
inline constexpr int64_t kSeasonPeakMillis = 14 * kMillisPerDay;  // 15 January (humidity)
// Wednesday 12:00, half a day before the Unix epoch (a Thursday) modulo a week: peak of
// the weekly load.
inline constexpr int64_t kWeekPeakMillis = 6 * kMillisPerDay + 12 * kMillisPerHour;

// The indoor seasonal peak: 15 July.
inline constexpr int64_t kSummerPeakMillis = 195 * kMillisPerDay;

// cos(2π (t − peak) / period): 1 at the peak, −1 half a period away.
double Cycle(UnixMillis t, int64_t peak, int64_t period);

// Seed of the run's weather (the phases of the pressure sinusoids).
uint32_t WeatherKey(uint64_t run_seed);

// The slow-change shape of a sensor type at time t, within [-1, 1]:
//   temperature  cos over a 24 h day, peak at 15:00 UTC (day/night)
//   humidity     cos over a 365.25-day year, peak on 15 January (seasonal)
//   pressure     mean of three sinusoids of periods 3.1, 5.3 and 8.9 days with phases drawn
//                from weather_key (weather fronts)
//   current      cos over a 7-day week, peak on Wednesday 12:00 UTC (load trend)
//   switch       the temperature's day shape (usage during working hours)
double SlowShape(SensorType type, UnixMillis t, uint32_t weather_key);

// The amplitude the shape is multiplied by: cycle_amplitude × trend_strength, or 0 when
// trends are disabled.
double SlowAmplitude(const SensorsConfig& sensors, SensorType type);

}  // namespace iiot
