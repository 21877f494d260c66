// What a data scientist would check in the simulator's output, on fixed seeds: the fleet's
// marginals over a year match the config's μ and σ; consecutive readings move little at
// the sensors' own cadence; statistics follow elapsed time, not the sample count; one site
// shares its weather and one room its climate; normal readings stay off the bounds and out
// of the anomaly bands; spikes stand clear of the device's level (docs/sensors.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <vector>

#include "sim/device_model.h"
#include "sim/fleet.h"
#include "sim/slow_change.h"
#include "sim_test_fixtures.h"

namespace iiot::testing {
namespace {

using S = SensorType;
constexpr std::array<S, 4> kNumeric = {S::kTemperature, S::kHumidity, S::kPressure, S::kCurrent};

Profile Everything() {
  return MakeProfile({S::kTemperature, S::kHumidity, S::kPressure, S::kSwitch, S::kCurrent});
}

Config FleetConfig(uint64_t devices) {
  Config cfg;
  cfg.fleet.devices = devices;
  cfg.fleet.profiles = {Everything()};
  return cfg;
}

ModelParams Params(bool anomalies) {
  AnomalyConfig a;
  if (!anomalies) a = {0, 0, 0, 0, 0, 3, 20};
  return ModelParams(SensorsConfig{}, a);
}

// The value of `type` in r, or NaN when absent.
double ValueOf(const Reading& r, S type) {
  for (uint8_t i = 0; i < r.sensor_count; ++i) {
    if (r.sensors[i].type == type) return r.sensors[i].present ? r.sensors[i].value : NAN;
  }
  return NAN;
}

bool SwitchOn(const Reading& r) {
  for (uint8_t i = 0; i < r.sensor_count; ++i) {
    if (r.sensors[i].type == S::kSwitch) return r.sensors[i].on;
  }
  return false;
}

// A normal reading of a numeric type: no anomaly on it; current only while switched on.
bool Normal(const Reading& r, S type) {
  if (r.anomaly != AnomalyKind::kNone) return false;
  return type != S::kCurrent || SwitchOn(r);
}

// Series of devices [first, first + count) of a fleet, sampled every `step` from `start`.
std::vector<std::vector<Reading>> Series(uint64_t seed, const Fleet& fleet, uint64_t first,
                                         uint64_t count, UnixMillis start, int samples,
                                         int64_t step, const ModelParams& params) {
  std::vector<std::vector<Reading>> out(count);
  Plant plant(seed);
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t d = first + i;
    DeviceModel model(seed, d, fleet.ProfileOf(d), fleet.LocationOf(d));
    out[i].resize(static_cast<size_t>(samples));
    for (int k = 0; k < samples; ++k) model.Sample(params, plant, start + k * step, &out[i][k]);
  }
  return out;
}

double Correlation(const std::vector<double>& a, const std::vector<double>& b) {
  RunningMoments ma, mb;
  for (double x : a) ma.Add(x);
  for (double x : b) mb.Add(x);
  double cov = 0;
  for (size_t i = 0; i < a.size(); ++i) cov += (a[i] - ma.mean()) * (b[i] - mb.mean());
  cov /= static_cast<double>(a.size() - 1);
  return cov / (ma.stddev() * mb.stddev());
}

// Lag-1 autocorrelation of a series about its own mean.
double Lag1(const std::vector<double>& x) {
  RunningMoments m;
  for (double v : x) m.Add(v);
  double num = 0, den = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    den += (x[i] - m.mean()) * (x[i] - m.mean());
    if (i > 0) num += (x[i] - m.mean()) * (x[i - 1] - m.mean());
  }
  return num / den;
}

std::vector<double> Values(const std::vector<Reading>& series, S type) {
  std::vector<double> v;
  for (const Reading& r : series) v.push_back(ValueOf(r, type));
  return v;
}

// The last normal value of `type` before position k (NaN when there is none).
double LastNormal(const std::vector<Reading>& s, size_t k, S type) {
  for (size_t j = k; j-- > 0;) {
    if (Normal(s[j], type) && !std::isnan(ValueOf(s[j], type))) return ValueOf(s[j], type);
  }
  return NAN;
}

TEST(PlantStatistics, FleetMarginalsOverAYearMatchTheConfig) {
  for (uint64_t seed : {11u, 12u}) {
    const Fleet fleet(FleetConfig(1000));
    const ModelParams params = Params(false);
    std::array<RunningMoments, 4> moments;
    const int64_t step = 6 * kMillisPerHour + 7 * 60'000;  // 1,450 samples a year
    const int samples = static_cast<int>(365LL * 24 * 3'600'000 / step);
    Reading r;
    Plant plant(seed);
    for (uint64_t d = 1; d <= fleet.size(); ++d) {
      DeviceModel model(seed, d, fleet.ProfileOf(d), fleet.LocationOf(d));
      for (int k = 0; k < samples; ++k) {
        model.Sample(params, plant, kStart + k * step, &r);
        for (size_t i = 0; i < kNumeric.size(); ++i) {
          if (Normal(r, kNumeric[i])) moments[i].Add(ValueOf(r, kNumeric[i]));
        }
      }
    }
    const SensorsConfig defaults;
    for (size_t i = 0; i < kNumeric.size(); ++i) {
      const SensorParams& p = defaults.params[static_cast<size_t>(kNumeric[i])];
      std::printf("seed %llu %s mean %.3f (%.3f) sd %.3f (%.3f)\n",
                  static_cast<unsigned long long>(seed), Name(kNumeric[i]), moments[i].mean(),
                  p.mean, moments[i].stddev(), p.stddev);
      EXPECT_NEAR(moments[i].mean(), p.mean, 0.01 * p.mean) << Name(kNumeric[i]);
      EXPECT_NEAR(moments[i].stddev(), p.stddev, 0.10 * p.stddev) << Name(kNumeric[i]);
    }
  }
}

TEST(PlantStatistics, ConsecutiveReadingsMoveLittleAtTheSensorsCadence) {
  const Fleet fleet(FleetConfig(1000));
  const auto series =
      Series(21, fleet, 1, 200, kStart + 9 * kMillisPerHour, 720, 5000, Params(false));
  const std::array<double, 4> limit = {0.15, 0.3, 0.2, 0.05};
  for (size_t i = 0; i < kNumeric.size(); ++i) {
    RunningMoments steps;
    for (const auto& s : series) {
      for (size_t k = 2; k < s.size(); ++k) {
        // Current at a constant load: on for the three samples (no inrush in the pair).
        if (kNumeric[i] == S::kCurrent &&
            !(SwitchOn(s[k]) && SwitchOn(s[k - 1]) && SwitchOn(s[k - 2]))) {
          continue;
        }
        steps.Add(ValueOf(s[k], kNumeric[i]) - ValueOf(s[k - 1], kNumeric[i]));
      }
    }
    std::printf("%s step sd %.4f over %llu\n", Name(kNumeric[i]), steps.stddev(),
                static_cast<unsigned long long>(steps.count()));
    EXPECT_GT(steps.count(), 10'000u);
    EXPECT_LE(steps.stddev(), limit[i]) << Name(kNumeric[i]);
    EXPECT_GT(steps.stddev(), 0.0) << Name(kNumeric[i]);
  }
}

TEST(PlantStatistics, MemoryIsMeasuredInTimeNotSamples) {
  const Fleet fleet(FleetConfig(1000));
  const ModelParams params = Params(false);
  RunningMoments fast, hourly, six_hourly;
  for (uint64_t d = 1; d <= 30; ++d) {
    const auto at = [&](int64_t step) {
      return Lag1(
          Values(Series(31, fleet, d * 7, 1, kStart, 1440, step, params)[0], S::kTemperature));
    };
    fast.Add(at(5000));
    hourly.Add(at(kMillisPerHour));
    six_hourly.Add(at(6 * kMillisPerHour + 60'000));
  }
  std::printf("temperature lag-1: %.3f at 5 s, %.3f at 1 h, %.3f at 6 h\n", fast.mean(),
              hourly.mean(), six_hourly.mean());
  EXPECT_GT(fast.mean(), 0.98);
  EXPECT_LT(hourly.mean(), fast.mean() - 0.05);
  EXPECT_LT(six_hourly.mean(), hourly.mean() - 0.1);
}

TEST(PlantStatistics, TheSiteSharesItsWeatherAndARoomItsClimate) {
  const Fleet fleet(FleetConfig(1000));  // 3 devices a room, 80 rooms a building
  const ModelParams params = Params(false);
  RunningMoments pressure, same_room, other_building, humidity_vs_temperature;
  for (uint64_t seed : {41u, 42u, 43u}) {
    for (uint64_t room = 0; room < 8; ++room) {
      const uint64_t d = 1 + 3 * room;
      const auto a = Series(seed, fleet, d, 2, kStart, 1440, 60'000, params);  // same room
      const auto b = Series(seed, fleet, d + 240 + 3 * room, 1, kStart, 1440, 60'000, params);
      pressure.Add(Correlation(Values(a[0], S::kPressure), Values(b[0], S::kPressure)));
      same_room.Add(Correlation(Values(a[0], S::kTemperature), Values(a[1], S::kTemperature)));
      other_building.Add(Correlation(Values(a[0], S::kTemperature), Values(b[0], S::kTemperature)));
      humidity_vs_temperature.Add(
          Correlation(Values(a[0], S::kTemperature), Values(a[0], S::kHumidity)));
    }
  }
  std::printf(
      "pressure across buildings %.3f; temperature same room %.3f, other building "
      "%.3f; humidity vs temperature %.3f\n",
      pressure.mean(), same_room.mean(), other_building.mean(), humidity_vs_temperature.mean());
  EXPECT_GE(pressure.mean(), 0.9);
  EXPECT_GT(same_room.mean(), other_building.mean() + 0.1);
  EXPECT_LT(humidity_vs_temperature.mean(), -0.3);
}

TEST(PlantStatistics, CurrentFollowsTheSwitchWithAnInrush) {
  const Fleet fleet(FleetConfig(1000));
  // Sampled every second: the inrush (settling in about a second) is caught often.
  const auto series = Series(51, fleet, 1, 100, kStart, 6000, 1000, Params(false));
  RunningMoments first_on, steady;
  uint64_t off = 0;
  for (const auto& s : series) {
    for (size_t k = 1; k < s.size(); ++k) {
      const double current = ValueOf(s[k], S::kCurrent);
      if (!SwitchOn(s[k])) {
        ++off;
        EXPECT_EQ(current, 0.0);
      } else if (!SwitchOn(s[k - 1])) {
        first_on.Add(current);
      } else {
        steady.Add(current);
      }
    }
  }
  std::printf("current: first on %.3f (%llu), steady %.3f; off %llu\n", first_on.mean(),
              static_cast<unsigned long long>(first_on.count()), steady.mean(),
              static_cast<unsigned long long>(off));
  EXPECT_GT(off, 1000u);
  EXPECT_GT(first_on.count(), 500u);
  EXPECT_GT(first_on.mean(), 1.2 * steady.mean());
}

TEST(PlantStatistics, BoundsAndBandsAreLeftToAnomalies) {
  const Fleet fleet(FleetConfig(1000));
  const SensorsConfig defaults;
  std::array<uint64_t, 4> normal{}, at_bound{}, in_band{};
  for (uint64_t seed : {61u, 62u}) {
    const auto series = Series(seed, fleet, 1, 1000, kStart, 300, 20 * 60'000, Params(true));
    for (const auto& s : series) {
      for (const Reading& r : s) {
        for (size_t i = 0; i < kNumeric.size(); ++i) {
          if (!Normal(r, kNumeric[i])) continue;
          const SensorParams& p = defaults.params[static_cast<size_t>(kNumeric[i])];
          const double v = ValueOf(r, kNumeric[i]);
          ++normal[i];
          if (v <= p.min || v >= p.max) ++at_bound[i];
          const bool below = p.anomaly_threshold < p.mean;
          if (below ? v < p.anomaly_threshold : v > p.anomaly_threshold) ++in_band[i];
        }
      }
    }
  }
  for (size_t i = 0; i < kNumeric.size(); ++i) {
    std::printf("%s: %llu normal, %llu at a bound, %llu in the band\n", Name(kNumeric[i]),
                static_cast<unsigned long long>(normal[i]),
                static_cast<unsigned long long>(at_bound[i]),
                static_cast<unsigned long long>(in_band[i]));
    EXPECT_GT(normal[i], 200'000u);
    EXPECT_LE(static_cast<double>(at_bound[i]), 0.001 * static_cast<double>(normal[i]));
    EXPECT_LE(static_cast<double>(in_band[i]), 0.001 * static_cast<double>(normal[i]));
  }
}

TEST(PlantStatistics, LabelledEpisodesAreVisibleOnTheirSensor) {
  const Fleet fleet(FleetConfig(1000));
  AnomalyConfig a;
  a.spike = 0.01;
  a.stuck = 0.005;
  a.drift = 0.005;
  const ModelParams params(SensorsConfig{}, a);
  const SensorsConfig defaults;
  uint64_t spikes = 0, stuck = 0, drifts = 0;
  for (uint64_t seed : {71u, 72u}) {
    const auto series = Series(seed, fleet, 1, 200, kStart, 1500, 5000, params);
    for (const auto& s : series) {
      for (size_t k = 11; k < s.size(); ++k) {
        const Reading& r = s[k];
        if (!r.anomaly_started) continue;
        const S type = r.anomaly_sensor;
        if (r.anomaly == AnomalyKind::kSpike) {
          // The device's recent level and σ: its ten readings before, when all normal.
          RunningMoments recent;
          for (size_t j = k - 10; j < k; ++j) {
            if (Normal(s[j], type)) recent.Add(ValueOf(s[j], type));
          }
          if (recent.count() < 10) continue;
          const double v = ValueOf(r, type);
          EXPECT_GE(std::fabs(v - recent.mean()), 4 * recent.stddev())
              << Name(type) << " spike " << v << " level " << recent.mean() << " sd "
              << recent.stddev();
          ++spikes;
        } else if (r.anomaly == AnomalyKind::kStuck) {
          // Holds the value last emitted before it (the reading before may lack the sensor).
          double held = NAN;
          for (size_t j = k; j-- > 0 && std::isnan(held);) held = ValueOf(s[j], type);
          for (size_t j = k; j < s.size() && s[j].anomaly == AnomalyKind::kStuck &&
                             s[j].anomaly_sensor == type && (j == k || !s[j].anomaly_started);
               ++j) {
            EXPECT_EQ(ValueOf(s[j], type), held) << Name(type);
            if (type == S::kCurrent) {
              EXPECT_TRUE(SwitchOn(s[j]));
              EXPECT_GT(held, 0.0);
            }
          }
          ++stuck;
        } else if (r.anomaly == AnomalyKind::kDrift) {
          size_t end = k;
          while (end + 1 < s.size() && s[end + 1].anomaly == AnomalyKind::kDrift &&
                 !s[end + 1].anomaly_started) {
            ++end;
          }
          if (end + 1 == s.size()) continue;  // cut off by the end of the series
          const double sigma = defaults.params[static_cast<size_t>(type)].stddev;
          EXPECT_GE(std::fabs(ValueOf(s[end], type) - LastNormal(s, k, type)), 0.5 * sigma)
              << Name(type) << " from " << LastNormal(s, k, type) << " to " << ValueOf(s[end], type)
              << " over " << end - k + 1;
          ++drifts;
        }
      }
    }
  }
  std::printf("checked %llu spikes, %llu stuck, %llu drifts\n",
              static_cast<unsigned long long>(spikes), static_cast<unsigned long long>(stuck),
              static_cast<unsigned long long>(drifts));
  EXPECT_GT(spikes, 1000u);
  EXPECT_GT(stuck, 300u);
  EXPECT_GT(drifts, 300u);
}

}  // namespace
}  // namespace iiot::testing
