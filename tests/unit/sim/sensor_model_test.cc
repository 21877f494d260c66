#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>
#include <vector>

#include "../allocation_counter.h"  // counts heap allocations (g_allocations)
#include "sim/device_model.h"
#include "sim_test_fixtures.h"

namespace iiot {
namespace {

using testing::ClampedNormalMoments;
using testing::ForEachReading;
using testing::kStart;
using testing::MakeProfile;
using testing::Moments;
using testing::QuietParams;
using testing::RunningMoments;

constexpr Millis kStep{5000};

// Moments of one numeric sensor over 1,000 devices × 1,000 samples (trend and anomalies
// off), with the switch's state when the device has one.
RunningMoments MeasureNumeric(SensorType type, const Profile& profile, bool only_when_on,
                              uint64_t devices = 1000) {
  RunningMoments m;
  ForEachReading(QuietParams(), profile, 7, devices, 1000, kStep, [&](const Reading& r) {
    bool on = true;
    double value = 0;
    for (uint8_t i = 0; i < r.sensor_count; ++i) {
      if (r.sensors[i].type == SensorType::kSwitch) on = r.sensors[i].on;
      if (r.sensors[i].type == type) value = r.sensors[i].value;
    }
    if (on || !only_when_on) m.Add(value);
  });
  return m;
}

void ExpectClampedNormal(const RunningMoments& m, SensorType type) {
  const SensorsConfig defaults;
  const SensorParams& p = defaults.params[static_cast<size_t>(type)];
  const Moments want = ClampedNormalMoments(p.mean, p.stddev, p.min, p.max);
  ASSERT_GE(m.count(), 1'000'000u);
  EXPECT_NEAR(m.mean() / want.mean, 1.0, 0.02) << Name(type) << " mean " << m.mean();
  EXPECT_NEAR(m.stddev() / want.stddev, 1.0, 0.02) << Name(type) << " σ " << m.stddev();
  // Much tighter in practice: the mean within a tenth of σ.
  EXPECT_NEAR(m.mean(), want.mean, 0.1 * p.stddev) << Name(type);
}

TEST(SensorModel, TemperatureIsNormal25Sigma5) {
  ExpectClampedNormal(
      MeasureNumeric(SensorType::kTemperature, MakeProfile({SensorType::kTemperature}), false),
      SensorType::kTemperature);
}

TEST(SensorModel, HumidityIsNormal60Sigma10) {
  ExpectClampedNormal(
      MeasureNumeric(SensorType::kHumidity, MakeProfile({SensorType::kHumidity}), false),
      SensorType::kHumidity);
}

TEST(SensorModel, PressureIsClampedNormal1013Sigma20) {
  // 950..1050 clamps at -3.15σ and +1.85σ: the clamped normal has mean 1012.75 and
  // σ 19.42 (2.9% below 20), which is what the stream must show.
  const RunningMoments m =
      MeasureNumeric(SensorType::kPressure, MakeProfile({SensorType::kPressure}), false);
  ExpectClampedNormal(m, SensorType::kPressure);
  EXPECT_LT(m.stddev(), 19.8);
}

TEST(SensorModel, CurrentWhenOnIsNormal2_5Sigma0_5) {
  ExpectClampedNormal(
      MeasureNumeric(SensorType::kCurrent, MakeProfile({SensorType::kSwitch, SensorType::kCurrent}),
                     true, 1300),
      SensorType::kCurrent);
}

TEST(SensorModel, DataVariationScalesSigma) {
  ModelParams params = QuietParams();
  params.sensors.data_variation = 0.5;
  RunningMoments m;
  ForEachReading(params, MakeProfile({SensorType::kTemperature}), 7, 500, 1000, kStep,
                 [&](const Reading& r) { m.Add(r.sensors[0].value); });
  EXPECT_NEAR(m.stddev(), 2.5, 0.05);
}

TEST(SensorModel, ValuesStayInRangeWithTrendsAndAnomalies) {
  ModelParams params;  // defaults: trends on
  params.anomalies = {0.02, 0.02, 0.02, 0.02, 0.02, 3, 20};
  params.sensors.data_variation = 2.0;  // push against the bounds
  const SensorsConfig& s = params.sensors;
  uint64_t checked = 0;
  for (const Profile& profile : DefaultProfiles()) {
    ForEachReading(params, profile, 11, 200, 1000, kStep, [&](const Reading& r) {
      for (uint8_t i = 0; i < r.sensor_count; ++i) {
        const SensorValue& v = r.sensors[i];
        const SensorParams& p = s.params[static_cast<size_t>(v.type)];
        ASSERT_GE(v.value, p.min) << Name(v.type);
        ASSERT_LE(v.value, p.max) << Name(v.type);
        ++checked;
      }
    });
  }
  EXPECT_GT(checked, 2'000'000u);
}

TEST(SensorModel, SwitchIsOnWithStationaryProbabilityPOn) {
  uint64_t on = 0, kept = 0, total = 0;
  ForEachReading(QuietParams(), MakeProfile({SensorType::kSwitch}), 3, 1000, 1000, kStep,
                 [&, prev = false](const Reading& r) mutable {
                   const bool now = r.sensors[0].on;
                   on += now;
                   if (r.seq > 1) kept += now == prev;
                   prev = now;
                   ++total;
                 });
  EXPECT_NEAR(static_cast<double>(on) / static_cast<double>(total), 0.8, 0.01);
  // Stickiness: the state is kept at 95% of the samples.
  EXPECT_NEAR(static_cast<double>(kept) / static_cast<double>(total - 1000), 0.95, 0.005);
}

TEST(SensorModel, SwitchUsageFollowsTheDayAndAveragesPOn) {
  ModelParams params = QuietParams();
  params.sensors.trend_enabled = true;  // switch cycle amplitude 0.1
  std::array<uint64_t, 24> on{}, total{};
  ForEachReading(params, MakeProfile({SensorType::kSwitch}), 3, 1000, 2 * 288, Millis{300'000},
                 [&](const Reading& r) {
                   const auto hour = static_cast<size_t>((r.ts - kStart) / 3'600'000 % 24);
                   on[hour] += r.sensors[0].on;
                   ++total[hour];
                 });
  uint64_t on_all = 0, total_all = 0;
  for (size_t h = 0; h < 24; ++h) {
    on_all += on[h];
    total_all += total[h];
  }
  EXPECT_NEAR(static_cast<double>(on_all) / static_cast<double>(total_all), 0.8, 0.01);
  // The chain lags the pattern by a few samples; with 5-minute samples that is negligible.
  const double afternoon = static_cast<double>(on[15]) / static_cast<double>(total[15]);
  const double night = static_cast<double>(on[3]) / static_cast<double>(total[3]);
  EXPECT_NEAR(afternoon, 0.9, 0.02);
  EXPECT_NEAR(night, 0.7, 0.02);
}

TEST(SensorModel, CurrentIsZeroWhenTheSwitchIsOff) {
  ModelParams params;  // trends on, default anomalies
  params.anomalies.chatter = 0.05;
  uint64_t off = 0, chatter_off = 0;
  ForEachReading(params, MakeProfile({SensorType::kSwitch, SensorType::kCurrent}), 5, 500, 2000,
                 kStep, [&](const Reading& r) {
                   if (r.sensors[0].on) {
                     if (r.anomaly == AnomalyKind::kNone) {
                       ASSERT_GT(r.sensors[1].value, 0.0);
                     }
                     return;
                   }
                   ASSERT_EQ(r.sensors[1].value, 0.0) << "seq " << r.seq;
                   ++off;
                   chatter_off += r.anomaly == AnomalyKind::kChatter;
                 });
  EXPECT_GT(off, 100'000u);
  EXPECT_GT(chatter_off, 10'000u);
}

TEST(SensorModel, CurrentWithoutASwitchFollowsAHiddenOne) {
  uint64_t zero = 0, total = 0;
  ForEachReading(QuietParams(), MakeProfile({SensorType::kCurrent}), 5, 1000, 1000, kStep,
                 [&](const Reading& r) {
                   zero += r.sensors[0].value == 0.0;
                   ++total;
                 });
  EXPECT_NEAR(static_cast<double>(zero) / static_cast<double>(total), 0.2, 0.01);
}

TEST(SensorModel, TemperatureFollowsTheDayNightCycle) {
  ModelParams params = QuietParams();
  params.sensors.trend_enabled = true;   // amplitude 3 °C, peak 15:00 UTC
  params.sensors.data_variation = 0.05;  // σ 0.25 °C
  std::array<testing::RunningMoments, 24> by_hour;
  ForEachReading(
      params, MakeProfile({SensorType::kTemperature}), 9, 20, 4 * 288, Millis{300'000},
      [&](const Reading& r) {
        by_hour[static_cast<size_t>((r.ts - kStart) / 3'600'000 % 24)].Add(r.sensors[0].value);
      });
  size_t peak = 0, trough = 0;
  for (size_t h = 1; h < 24; ++h) {
    if (by_hour[h].mean() > by_hour[peak].mean()) peak = h;
    if (by_hour[h].mean() < by_hour[trough].mean()) trough = h;
  }
  const double swing = by_hour[peak].mean() - by_hour[trough].mean();
  EXPECT_NEAR(swing, 2 * 3.0, 0.1 * 2 * 3.0);
  EXPECT_TRUE(peak == 14 || peak == 15) << peak;      // the hour bins around 15:00
  EXPECT_TRUE(trough == 2 || trough == 3) << trough;  // around 03:00
}

TEST(SensorModel, HumidityFollowsTheSeasons) {
  ModelParams params = QuietParams();
  params.sensors.trend_enabled = true;  // amplitude 8 %, peak mid-January
  params.sensors.data_variation = 0.05;
  RunningMoments january, july;
  ForEachReading(params, MakeProfile({SensorType::kHumidity}), 9, 20, 365, Millis{86'400'000},
                 [&](const Reading& r) {
                   const int64_t day = (r.ts - kStart) / 86'400'000;
                   if (day < 31) january.Add(r.sensors[0].value);
                   if (day >= 181 && day < 212) july.Add(r.sensors[0].value);
                 });
  EXPECT_NEAR(january.mean(), 60 + 8 * 0.98, 0.5);
  EXPECT_NEAR(july.mean(), 60 - 8 * 0.98, 0.5);
}

TEST(SensorModel, PressureWeatherIsSharedByDevicesAndSeedDependent) {
  ModelParams params = QuietParams();
  params.sensors.trend_enabled = true;
  params.sensors.data_variation = 0;  // the weather alone
  const Profile profile = MakeProfile({SensorType::kPressure});
  Reading a, b, c;
  DeviceModel d1(1, 1, profile), d2(1, 2, profile), other_seed(2, 1, profile);
  double min = 2000, max = 0, seed_difference = 0;
  for (int h = 0; h < 24 * 30; ++h) {
    const UnixMillis t = kStart + h * 3'600'000LL;
    d1.Sample(params, t, &a);
    d2.Sample(params, t, &b);
    other_seed.Sample(params, t, &c);
    ASSERT_EQ(a.sensors[0].value, b.sensors[0].value);
    seed_difference = std::max(seed_difference, std::abs(a.sensors[0].value - c.sensors[0].value));
    min = std::min(min, a.sensors[0].value);
    max = std::max(max, a.sensors[0].value);
  }
  EXPECT_GE(min, 1013 - 8.0);
  EXPECT_LE(max, 1013 + 8.0);
  EXPECT_GT(max - min, 8.0);  // a month of weather moves it by more than the amplitude
  EXPECT_GT(seed_difference, 1.0);
}

// Pooled lag-1 autocorrelation of the temperature noise of 200 devices × 5,000 samples.
double Lag1Autocorrelation(double alpha) {
  ModelParams params = QuietParams();
  params.sensors.ema_alpha = alpha;
  double num = 0, den = 0;
  ForEachReading(params, MakeProfile({SensorType::kTemperature}), 13, 200, 5000, kStep,
                 [&, prev = 0.0](const Reading& r) mutable {
                   const double x = r.sensors[0].value - 25.0;
                   if (r.seq > 1) num += x * prev;
                   den += x * x;
                   prev = x;
                 });
  return num / den;
}

TEST(SensorModel, EmaNoiseHasLag1AutocorrelationOneMinusAlpha) {
  EXPECT_NEAR(Lag1Autocorrelation(0.3), 0.7, 0.01);
  EXPECT_NEAR(Lag1Autocorrelation(0.05), 0.95, 0.01);
}

TEST(SensorModel, AlphaOneMeansWhiteNoise) { EXPECT_NEAR(Lag1Autocorrelation(1.0), 0.0, 0.01); }

TEST(SensorModel, SmoothingKeepsTheConfiguredSigma) {
  ModelParams params = QuietParams();
  params.sensors.ema_alpha = 0.05;
  RunningMoments m;
  ForEachReading(params, MakeProfile({SensorType::kTemperature}), 7, 1000, 1000, kStep,
                 [&](const Reading& r) { m.Add(r.sensors[0].value); });
  EXPECT_NEAR(m.stddev(), 5.0, 0.1);  // stationary from the first sample: no warm-up
}

std::vector<Reading> Stream(uint64_t seed, uint64_t device, const Profile& profile, int n) {
  ModelParams params;
  params.anomalies = {0.02, 0.02, 0.02, 0.02, 0.02, 3, 20};
  std::vector<Reading> out(static_cast<size_t>(n));
  DeviceModel model(seed, device, profile);
  for (int i = 0; i < n; ++i)
    model.Sample(params, kStart + i * kStep.count(), &out[static_cast<size_t>(i)]);
  return out;
}

bool SameReading(const Reading& a, const Reading& b) {
  if (a.device != b.device || a.seq != b.seq || a.ts != b.ts || a.sensor_count != b.sensor_count ||
      a.anomaly != b.anomaly || a.anomaly_sensor != b.anomaly_sensor) {
    return false;
  }
  for (uint8_t i = 0; i < a.sensor_count; ++i) {
    const SensorValue &x = a.sensors[i], &y = b.sensors[i];
    if (x.type != y.type || x.present != y.present || x.on != y.on || x.value != y.value)
      return false;
  }
  return true;
}

TEST(SensorModel, SameSeedAndDeviceGiveTheSameStream) {
  const Profile profile = DefaultProfiles()[1];  // all but humidity
  const auto a = Stream(42, 17, profile, 5000), b = Stream(42, 17, profile, 5000);
  for (size_t i = 0; i < a.size(); ++i) ASSERT_TRUE(SameReading(a[i], b[i])) << i;
  EXPECT_EQ(a.back().seq, 5000u);
  EXPECT_EQ(a.front().seq, 1u);
}

TEST(SensorModel, AnotherSeedOrDeviceGivesAnotherStream) {
  const Profile profile = DefaultProfiles()[1];
  const auto a = Stream(42, 17, profile, 100);
  const auto other_seed = Stream(43, 17, profile, 100), other_device = Stream(42, 18, profile, 100);
  int same_seed_diff = 0, same_device_diff = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    same_seed_diff += a[i].sensors[0].value == other_seed[i].sensors[0].value;
    same_device_diff += a[i].sensors[0].value == other_device[i].sensors[0].value;
  }
  EXPECT_EQ(same_seed_diff, 0);
  EXPECT_EQ(same_device_diff, 0);
}

TEST(SensorModel, SensorsComeInProfileOrder) {
  const Profile profile =
      MakeProfile({SensorType::kCurrent, SensorType::kPressure, SensorType::kSwitch});
  DeviceModel model(1, 1, profile);
  Reading r;
  model.Sample(QuietParams(), kStart, &r);
  ASSERT_EQ(r.sensor_count, 3);
  EXPECT_EQ(r.sensors[0].type, SensorType::kCurrent);
  EXPECT_EQ(r.sensors[1].type, SensorType::kPressure);
  EXPECT_EQ(r.sensors[2].type, SensorType::kSwitch);
  EXPECT_EQ(r.sensors[2].value, r.sensors[2].on ? 1.0 : 0.0);
  EXPECT_STREQ(r.Quality(), "good");
}

TEST(SensorModel, SampleDoesNotAllocate) {
  ModelParams params;
  params.anomalies = {0.05, 0.05, 0.05, 0.05, 0.05, 3, 20};
  std::vector<DeviceModel> models;
  for (const Profile& p : DefaultProfiles()) models.emplace_back(1, models.size() + 1, p);
  Reading r;
  const uint64_t before = g_allocations.load();
  for (int i = 0; i < 10'000; ++i) {
    for (DeviceModel& m : models) m.Sample(params, kStart + i * 5000LL, &r);
  }
  EXPECT_EQ(g_allocations.load(), before);
}

TEST(SensorModel, ModelIsSmall) { EXPECT_LE(sizeof(DeviceModel), 152u); }

}  // namespace
}  // namespace iiot
