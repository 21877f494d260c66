#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>
#include <vector>

#include "../allocation_counter.h"  // counts heap allocations (g_allocations)
#include "sim/device_model.h"
#include "sim/fleet.h"
#include "sim_test_fixtures.h"

namespace iiot {
namespace {

using testing::ForEachReading;
using testing::kStart;
using testing::MakeProfile;
using testing::QuietParams;
using testing::RunningMoments;

constexpr Millis kStep{5000};

// With these settings, a fleet's σ of temperature at one instant (1,000 devices over 334
// rooms, every 30 minutes for a day): the cross-section a data scientist would see.
double FleetSigma(const ModelParams& params) {
  Config cfg;
  cfg.fleet.devices = 1000;
  cfg.fleet.profiles = {MakeProfile({SensorType::kTemperature})};
  const Fleet fleet(cfg);
  Plant plant(7);
  RunningMoments m;
  Reading r;
  for (uint64_t d = 1; d <= fleet.size(); ++d) {
    DeviceModel model(7, d, fleet.ProfileOf(d), fleet.LocationOf(d));
    for (int i = 0; i < 48; ++i) {
      model.Sample(params, plant, kStart + i * 1'800'000LL, &r);
      m.Add(r.sensors[0].value);
    }
  }
  return m.stddev();
}

TEST(SensorModel, DataVariationScalesSigma) {
  SensorsConfig sensors = QuietParams().sensors();
  const double full = FleetSigma(ModelParams(sensors, {}));
  sensors.data_variation = 0.5;
  const double half = FleetSigma(ModelParams(sensors, {}));
  EXPECT_NEAR(full, 5.0, 0.5);
  EXPECT_NEAR(half / full, 0.5, 0.03);
}

TEST(SensorModel, ValuesStayInRangeWithTrendsAndAnomalies) {
  SensorsConfig sensors;         // defaults: trends on
  sensors.data_variation = 2.0;  // push against the bounds
  const ModelParams params(sensors, {0.02, 0.02, 0.02, 0.02, 0.02, 3, 20});
  const SensorsConfig& s = params.sensors();
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
  SensorsConfig sensors = QuietParams().sensors();
  sensors.trend_enabled = true;  // switch cycle amplitude 0.1
  const ModelParams params(sensors, QuietParams().anomalies);
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
  // Over 5 minutes the chain forgets its state: each sample follows the pattern.
  const double afternoon = static_cast<double>(on[15]) / static_cast<double>(total[15]);
  const double night = static_cast<double>(on[3]) / static_cast<double>(total[3]);
  EXPECT_NEAR(afternoon, 0.9, 0.02);
  EXPECT_NEAR(night, 0.7, 0.02);
}

TEST(SensorModel, CurrentIsZeroWhenTheSwitchIsOff) {
  ModelParams params;               // trends on, default anomalies
  params.anomalies.chatter = 0.05;  // (anomalies are read as they are)
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
  SensorsConfig sensors = QuietParams().sensors();
  sensors.trend_enabled = true;   // amplitude 3 °C, peak 15:00 UTC
  sensors.data_variation = 0.05;  // the rest: σ 0.25 °C
  const ModelParams params(sensors, QuietParams().anomalies);
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
  SensorsConfig sensors = QuietParams().sensors();
  sensors.trend_enabled = true;  // amplitude 8 %, peak mid-January
  sensors.data_variation = 0.05;
  const ModelParams params(sensors, QuietParams().anomalies);
  RunningMoments january, july;
  // Every 8 hours: the day's swing (humidity moves against the room's temperature) averages
  // out over the three times of day.
  ForEachReading(params, MakeProfile({SensorType::kHumidity}), 9, 20, 3 * 365, Millis{28'800'000},
                 [&](const Reading& r) {
                   const int64_t day = (r.ts - kStart) / 86'400'000;
                   if (day < 31) january.Add(r.sensors[0].value);
                   if (day >= 181 && day < 212) july.Add(r.sensors[0].value);
                 });
  EXPECT_NEAR(january.mean(), 60 + 8 * 0.98, 0.5);
  EXPECT_NEAR(july.mean(), 60 - 8 * 0.98, 0.5);
}

TEST(SensorModel, PressureWeatherIsSharedByDevicesAndSeedDependent) {
  SensorsConfig sensors = QuietParams().sensors();
  sensors.trend_enabled = true;
  sensors.data_variation = 0;  // the fronts alone
  const ModelParams params(sensors, QuietParams().anomalies);
  const Profile profile = MakeProfile({SensorType::kPressure});
  Reading a, b, c;
  Plant plant(1), other_plant(2);
  // Different rooms and buildings: with no σ, nothing but the site's fronts is left.
  DeviceModel d1(1, 1, profile, {1, 1, 1, 0}), d2(1, 2, profile, {3, 1, 7, 147}),
      other_seed(2, 1, profile);
  double min = 2000, max = 0, seed_difference = 0;
  for (int h = 0; h < 24 * 30; ++h) {
    const UnixMillis t = kStart + h * 3'600'000LL;
    d1.Sample(params, plant, t, &a);
    d2.Sample(params, plant, t, &b);
    other_seed.Sample(params, other_plant, t, &c);
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

std::vector<Reading> Stream(uint64_t seed, uint64_t device, const Profile& profile, int n) {
  ModelParams params;
  params.anomalies = {0.02, 0.02, 0.02, 0.02, 0.02, 3, 20};
  std::vector<Reading> out(static_cast<size_t>(n));
  Plant plant(seed);
  DeviceModel model(seed, device, profile);
  for (int i = 0; i < n; ++i)
    model.Sample(params, plant, kStart + i * kStep.count(), &out[static_cast<size_t>(i)]);
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
  Plant plant(1);
  Reading r;
  model.Sample(QuietParams(), plant, kStart, &r);
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
  Plant plant(1);
  Reading r;
  const uint64_t before = g_allocations.load();
  for (int i = 0; i < 10'000; ++i) {
    for (DeviceModel& m : models) m.Sample(params, plant, kStart + i * 5000LL, &r);
  }
  EXPECT_EQ(g_allocations.load(), before);
}

TEST(SensorModel, ThePlantsCacheChangesNothing) {
  // One plant shared by devices sampled in any order, or a fresh plant for every sample:
  // the same readings (the cache only saves work).
  const std::vector<Profile> profiles = DefaultProfiles();
  ModelParams params;
  params.anomalies = {0.02, 0.02, 0.02, 0.02, 0.02, 3, 20};
  std::vector<DeviceModel> shared_models, fresh_models;
  for (uint64_t d = 1; d <= 40; ++d) {
    const Location where{1 + static_cast<uint32_t>(d % 3), 1, 1 + static_cast<uint32_t>(d % 7),
                         static_cast<uint32_t>(d % 21)};
    shared_models.emplace_back(8, d, profiles[d % profiles.size()], where);
    fresh_models.emplace_back(8, d, profiles[d % profiles.size()], where);
  }
  Plant shared(8);
  Reading a, b;
  for (int i = 0; i < 500; ++i) {
    for (size_t k = 0; k < shared_models.size(); ++k) {
      const size_t j = (k * 7 + static_cast<size_t>(i)) % shared_models.size();  // shuffled
      const UnixMillis t = kStart + i * 3000LL + static_cast<int64_t>(j % 4) * 250;
      shared_models[j].Sample(params, shared, t, &a);
      Plant fresh(8);
      fresh_models[j].Sample(params, fresh, t, &b);
      ASSERT_TRUE(SameReading(a, b)) << "device " << j + 1 << " sample " << i;
    }
  }
}

TEST(SensorModel, TheSwitchKeepsItsPacePerHourAtAnyInterval) {
  // Sampled every second or every 5 s, the switch changes state as often per hour.
  const auto changes_per_hour = [](int64_t step_ms) {
    uint64_t changes = 0;
    const int samples = static_cast<int>(3'600'000 / step_ms);
    ForEachReading(QuietParams(), MakeProfile({SensorType::kSwitch}), 3, 300, samples,
                   Millis{step_ms}, [&, prev = false](const Reading& r) mutable {
                     if (r.seq > 1) changes += r.sensors[0].on != prev;
                     prev = r.sensors[0].on;
                   });
    return static_cast<double>(changes) / 300.0;
  };
  const double at_5s = changes_per_hour(5000), at_1s = changes_per_hour(1000);
  EXPECT_NEAR(at_5s, 720 * 0.05, 3.0);  // 720 samples an hour, 5% of them a change
  EXPECT_NEAR(at_1s / at_5s, 1.0, 0.1);
}

TEST(SensorModel, ModelIsSmall) { EXPECT_LE(sizeof(DeviceModel), 192u); }

}  // namespace
}  // namespace iiot
