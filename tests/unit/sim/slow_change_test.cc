#include "sim/slow_change.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace iiot {
namespace {

constexpr UnixMillis kStart = 1'767'225'600'000;  // 2026-01-01T00:00:00Z, a Thursday

double ExactCycle(UnixMillis t, int64_t peak, int64_t period) {
  return std::cos(2 * std::numbers::pi * static_cast<double>(t - peak) /
                  static_cast<double>(period));
}

TEST(SlowChange, DayCycleIsACosinePeakingAt15Utc) {
  double worst = 0;
  for (UnixMillis t = kStart; t < kStart + 2 * kMillisPerDay; t += 61'001) {
    const double shape = SlowShape(SensorType::kTemperature, t, 0);
    worst = std::max(worst, std::abs(shape - ExactCycle(t, kDayPeakMillis, kMillisPerDay)));
  }
  EXPECT_LT(worst, 1e-8);
  EXPECT_NEAR(SlowShape(SensorType::kTemperature, kStart + 15 * kMillisPerHour, 0), 1.0, 1e-12);
  EXPECT_NEAR(SlowShape(SensorType::kTemperature, kStart + 3 * kMillisPerHour, 0), -1.0, 1e-12);
  EXPECT_NEAR(SlowShape(SensorType::kTemperature, kStart + 9 * kMillisPerHour, 0), 0.0, 1e-8);
}

TEST(SlowChange, TimesBeforeTheEpochWork) {
  const UnixMillis t = -kMillisPerDay + 15 * kMillisPerHour;  // 1969-12-31T15:00Z
  EXPECT_NEAR(SlowShape(SensorType::kTemperature, t, 0), 1.0, 1e-12);
}

TEST(SlowChange, SwitchUsageSharesTheDayShape) {
  for (UnixMillis t = kStart; t < kStart + kMillisPerDay; t += 600'000) {
    ASSERT_EQ(SlowShape(SensorType::kSwitch, t, 0), SlowShape(SensorType::kTemperature, t, 0));
  }
}

TEST(SlowChange, HumidityPeaksMidJanuaryAndBottomsInJuly) {
  EXPECT_NEAR(SlowShape(SensorType::kHumidity, kStart + 14 * kMillisPerDay, 0), 1.0, 1e-3);
  EXPECT_LT(SlowShape(SensorType::kHumidity, kStart + 196 * kMillisPerDay, 0), -0.999);
}

TEST(SlowChange, LoadPeaksOnWednesdayNoon) {
  const UnixMillis wednesday_noon = kStart + 6 * kMillisPerDay + 12 * kMillisPerHour;  // 7 Jan
  EXPECT_NEAR(SlowShape(SensorType::kCurrent, wednesday_noon, 0), 1.0, 1e-12);
  EXPECT_NEAR(
      SlowShape(SensorType::kCurrent, wednesday_noon + 3 * kMillisPerDay + kMillisPerDay / 2, 0),
      -1.0, 1e-12);
}

TEST(SlowChange, WeatherStaysInRangeAndDependsOnTheKey) {
  const uint32_t a = WeatherKey(1), b = WeatherKey(2);
  ASSERT_NE(a, b);
  double lo = 1, hi = -1, difference = 0;
  for (UnixMillis t = kStart; t < kStart + 60 * kMillisPerDay; t += kMillisPerHour) {
    const double w = SlowShape(SensorType::kPressure, t, a);
    lo = std::min(lo, w);
    hi = std::max(hi, w);
    difference = std::max(difference, std::abs(w - SlowShape(SensorType::kPressure, t, b)));
  }
  EXPECT_GE(lo, -1.0);
  EXPECT_LE(hi, 1.0);
  EXPECT_GT(hi - lo, 1.0);  // two months of weather cover much of the range
  EXPECT_GT(difference, 0.5);
}

TEST(SlowChange, AmplitudeIsZeroWithTrendsOff) {
  SensorsConfig s;
  s.trend_strength = 2;
  EXPECT_DOUBLE_EQ(SlowAmplitude(s, SensorType::kTemperature), 6.0);
  s.trend_enabled = false;
  EXPECT_EQ(SlowAmplitude(s, SensorType::kTemperature), 0.0);
}

}  // namespace
}  // namespace iiot
