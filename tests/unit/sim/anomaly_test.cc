#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <vector>

#include "sim/device_model.h"
#include "sim_test_fixtures.h"

namespace iiot {
namespace {

using testing::ForEachReading;
using testing::MakeProfile;
using testing::QuietParams;

constexpr Millis kStep{5000};

const Profile& BoilerRoom() {  // temperature, pressure, switch, current: every kind can start
  static const Profile p = DefaultProfiles()[1];
  return p;
}

const SensorValue* Find(const Reading& r, SensorType type) {
  for (uint8_t i = 0; i < r.sensor_count; ++i) {
    if (r.sensors[i].type == type) return &r.sensors[i];
  }
  return nullptr;
}

TEST(Anomaly, NoRatesNoLabels) {
  uint64_t labelled = 0;
  for (const Profile& profile : DefaultProfiles()) {
    ForEachReading(QuietParams(), profile, 1, 200, 1000, kStep, [&](const Reading& r) {
      labelled += r.anomaly != AnomalyKind::kNone;
      ASSERT_STREQ(r.Quality(), "good");
    });
  }
  EXPECT_EQ(labelled, 0u);
}

TEST(Anomaly, EachKindStartsAtItsRateAndLabelsItsWholeEpisode) {
  // Episodes of a known length (4; spikes 1) let the stream be cut back into episodes: a
  // labelled message seen while idle is a start, and the episode's next messages must
  // carry the same label.
  ModelParams params = QuietParams();
  params.anomalies = {0.01, 0.02, 0.01, 0.015, 0.005, 4, 4};
  const std::array<double, 5> rates = {0.01, 0.02, 0.01, 0.015, 0.005};
  constexpr int kSamples = 1000;
  std::array<uint64_t, kAnomalyKindCount> starts{};
  uint64_t idle = 0, unlabelled_inside = 0;
  std::vector<Reading> stream(kSamples);
  Plant plant(3);
  for (uint64_t d = 1; d <= 1000; ++d) {
    DeviceModel model(3, d, BoilerRoom());
    for (int i = 0; i < kSamples; ++i)
      model.Sample(params, plant, testing::kStart + i * 5000LL, &stream[static_cast<size_t>(i)]);
    for (size_t i = 0; i < stream.size();) {
      ++idle;
      const Reading& first = stream[i];
      if (first.anomaly == AnomalyKind::kNone) {
        ++i;
        continue;
      }
      ++starts[static_cast<size_t>(first.anomaly)];
      const size_t length = first.anomaly == AnomalyKind::kSpike ? 1 : 4;
      for (size_t j = i; j < std::min(i + length, stream.size()); ++j) {
        unlabelled_inside +=
            stream[j].anomaly != first.anomaly || stream[j].anomaly_sensor != first.anomaly_sensor;
      }
      i += length;
    }
  }
  EXPECT_EQ(unlabelled_inside, 0u);
  for (size_t k = 1; k < kAnomalyKindCount; ++k) {
    const double expected = static_cast<double>(idle) * rates[k - 1];
    const double sigma = std::sqrt(expected * (1 - rates[k - 1]));
    EXPECT_NEAR(static_cast<double>(starts[k]), expected, 5 * sigma)
        << Name(static_cast<AnomalyKind>(k)) << " idle " << idle;
  }
}

TEST(Anomaly, EpisodeLengthsAreUniformBetweenMinAndMax) {
  ModelParams params = QuietParams();
  params.anomalies = {0, 0, 0, 0.002, 0, 3, 7};  // dropouts only
  std::array<uint64_t, 32> runs{};
  uint64_t total = 0;
  Plant plant(5);
  for (uint64_t d = 1; d <= 500; ++d) {
    DeviceModel model(5, d, MakeProfile({SensorType::kTemperature}));
    Reading r;
    size_t run = 0;
    for (int i = 0; i < 4000; ++i) {
      model.Sample(params, plant, testing::kStart + i * 5000LL, &r);
      if (r.anomaly != AnomalyKind::kNone) {
        ++run;
      } else if (run > 0) {
        ++runs[std::min<size_t>(run, 31)];
        ++total;
        run = 0;
      }
    }
  }
  ASSERT_GT(total, 3000u);
  uint64_t in_range = 0;
  for (size_t n = 3; n <= 7; ++n) {
    in_range += runs[n];
    // Each length has a fifth of the episodes (back-to-back episodes merge, rarely).
    EXPECT_NEAR(static_cast<double>(runs[n]) / static_cast<double>(total), 0.2, 0.03) << n;
  }
  EXPECT_EQ(runs[1] + runs[2], 0u);
  EXPECT_GE(static_cast<double>(in_range) / static_cast<double>(total), 0.99);
}

TEST(Anomaly, SpikesLandBeyondTheThreshold) {
  ModelParams params = QuietParams();
  params.anomalies = {0.05, 0, 0, 0, 0, 3, 20};
  const SensorsConfig& s = params.sensors();
  std::array<uint64_t, kSensorTypeCount> spikes{};
  for (const Profile& profile : DefaultProfiles()) {
    ForEachReading(params, profile, 7, 100, 1000, kStep, [&](const Reading& r) {
      if (r.anomaly != AnomalyKind::kSpike) return;
      const SensorValue* v = Find(r, r.anomaly_sensor);
      ASSERT_NE(v, nullptr);
      ASSERT_NE(r.anomaly_sensor, SensorType::kSwitch);
      const SensorParams& p = s.params[static_cast<size_t>(v->type)];
      if (v->type == SensorType::kHumidity) {
        EXPECT_LT(v->value, p.anomaly_threshold);  // dry
      } else {
        EXPECT_GT(v->value, p.anomaly_threshold) << Name(v->type);
      }
      ++spikes[static_cast<size_t>(v->type)];
    });
  }
  for (int t = 0; t < kSensorTypeCount; ++t) {
    if (static_cast<SensorType>(t) == SensorType::kSwitch) continue;
    EXPECT_GT(spikes[static_cast<size_t>(t)], 1000u) << Name(static_cast<SensorType>(t));
  }
}

TEST(Anomaly, UnlabelledValuesStayInsideTheNormalBand) {
  // 1M messages with default rates and trends: the soft range keeps every normal reading
  // short of each anomaly band (overcurrent 8 A, 50 °C, 1040 hPa), so a value in a band is
  // labelled, always.
  ModelParams params;
  uint64_t messages = 0, labelled = 0;
  ForEachReading(params, BoilerRoom(), 21, 1000, 1000, kStep, [&](const Reading& r) {
    ++messages;
    if (r.anomaly != AnomalyKind::kNone) {
      ++labelled;
      return;
    }
    ASSERT_LT(Find(r, SensorType::kCurrent)->value, 8.0);
    ASSERT_LT(Find(r, SensorType::kTemperature)->value, 50.0);
    ASSERT_LT(Find(r, SensorType::kPressure)->value, 1040.0);
    ASSERT_STREQ(r.Quality(), "good");
  });
  EXPECT_EQ(messages, 1'000'000u);
  EXPECT_GT(labelled, 10'000u);
}

TEST(Anomaly, StuckRepeatsTheLastEmittedValue) {
  ModelParams params = QuietParams();
  params.anomalies = {0, 0.01, 0, 0, 0, 3, 20};
  const Profile profile = DefaultProfiles()[3];  // temperature, humidity, pressure
  uint64_t checked = 0;
  Plant plant(9);
  for (uint64_t d = 1; d <= 200; ++d) {
    DeviceModel model(9, d, profile);
    Reading prev, r;
    for (int i = 0; i < 1000; ++i) {
      model.Sample(params, plant, testing::kStart + i * 5000LL, &r);
      if (r.anomaly == AnomalyKind::kStuck) {
        ASSERT_GT(r.seq, 1u);
        EXPECT_EQ(Find(r, r.anomaly_sensor)->value, Find(prev, r.anomaly_sensor)->value);
        ++checked;
      } else if (prev.anomaly == AnomalyKind::kStuck) {
        const double v = Find(r, prev.anomaly_sensor)->value;
        const SensorParams& p = params.sensors().params[static_cast<size_t>(prev.anomaly_sensor)];
        if (v > p.min && v < p.max) {  // a clamped value may repeat without being stuck
          EXPECT_NE(v, Find(prev, prev.anomaly_sensor)->value);
        }
      }
      prev = r;
    }
  }
  EXPECT_GT(checked, 10'000u);
}

TEST(Anomaly, DriftMovesAboutThreeSigmaOverTheEpisode) {
  // At 5 s a temperature moves by about 0.08 °C (no trend): the drift's steps of 0.3σ
  // (1.5 °C) stand out.
  ModelParams params = QuietParams();
  params.anomalies = {0, 0, 0.01, 0, 0, 10, 10};
  uint64_t episodes = 0;
  Plant plant(4);
  for (uint64_t d = 1; d <= 300; ++d) {
    DeviceModel model(4, d, MakeProfile({SensorType::kTemperature}));
    Reading r;
    double before = 0, last = 0;
    int step = 0;
    for (int i = 0; i < 1000; ++i) {
      model.Sample(params, plant, testing::kStart + i * 5000LL, &r);
      const double v = r.sensors[0].value;
      if (r.anomaly == AnomalyKind::kDrift) {
        if (step > 0) {
          EXPECT_GT(std::abs(v - last), 0.06 * 5.0);  // every step moves: 5σ of the noise
        }
        last = v;
        if (++step == 10) {
          if (std::abs(before - 25.0) < 15.0) {  // the clamp at -10 / 60 is out of reach
            // The normal value itself moves by about 0.25 °C over 10 steps.
            EXPECT_NEAR(std::abs(v - before), 3 * 5.0, 0.8 * 5.0);
            ++episodes;
          }
          step = 0;
        }
      } else {
        before = v;
        last = v;
        step = 0;
      }
    }
  }
  EXPECT_GT(episodes, 1000u);
}

TEST(Anomaly, DropoutHidesExactlyTheLabelledSensor) {
  ModelParams params = QuietParams();
  params.anomalies = {0, 0, 0, 0.02, 0, 3, 20};
  std::array<uint64_t, kSensorTypeCount> dropped{};
  ForEachReading(params, BoilerRoom(), 8, 300, 1000, kStep, [&](const Reading& r) {
    if (r.anomaly != AnomalyKind::kDropout) return;
    ASSERT_STREQ(r.Quality(), "partial");
    for (uint8_t i = 0; i < r.sensor_count; ++i) {
      EXPECT_EQ(r.sensors[i].present, r.sensors[i].type != r.anomaly_sensor);
    }
    ++dropped[static_cast<size_t>(r.anomaly_sensor)];
  });
  for (SensorType t : BoilerRoom().sensors) {
    EXPECT_GT(dropped[static_cast<size_t>(t)], 5000u) << Name(t);
  }
}

TEST(Anomaly, ChatterTogglesTheSwitchEveryMessage) {
  ModelParams params = QuietParams();
  params.anomalies = {0, 0, 0, 0, 0.01, 3, 20};
  uint64_t toggles = 0;
  Plant plant(2);
  for (uint64_t d = 1; d <= 300; ++d) {
    DeviceModel model(2, d, BoilerRoom());
    Reading prev, r;
    for (int i = 0; i < 1000; ++i) {
      model.Sample(params, plant, testing::kStart + i * 5000LL, &r);
      if (r.anomaly == AnomalyKind::kChatter) {
        ASSERT_EQ(r.anomaly_sensor, SensorType::kSwitch);
        ASSERT_GT(r.seq, 1u);
        const bool on = Find(r, SensorType::kSwitch)->on;
        EXPECT_NE(on, Find(prev, SensorType::kSwitch)->on);
        EXPECT_EQ(Find(r, SensorType::kCurrent)->value == 0.0, !on);
        ++toggles;
      }
      prev = r;
    }
  }
  EXPECT_GT(toggles, 10'000u);
}

TEST(Anomaly, HiddenSwitchNeverChatters) {
  ModelParams params = QuietParams();
  params.anomalies = {0, 0, 0, 0, 0.5, 3, 20};
  uint64_t labelled = 0;
  ForEachReading(params, MakeProfile({SensorType::kCurrent, SensorType::kTemperature}), 2, 100,
                 1000, kStep,
                 [&](const Reading& r) { labelled += r.anomaly != AnomalyKind::kNone; });
  EXPECT_EQ(labelled, 0u);
}

TEST(Anomaly, CurrentAnomaliesStartOnlyWhileCurrentFlows) {
  ModelParams params = QuietParams();
  params.anomalies = {0.01, 0.01, 0.01, 0, 0, 3, 20};
  uint64_t starts = 0;
  ForEachReading(params, DefaultProfiles()[2], 6, 500, 1000, kStep,  // pump: switch, current
                 [&, prev = AnomalyKind::kNone](const Reading& r) mutable {
                   if (r.anomaly != AnomalyKind::kNone && prev == AnomalyKind::kNone) {
                     ASSERT_EQ(r.anomaly_sensor, SensorType::kCurrent);
                     ASSERT_TRUE(Find(r, SensorType::kSwitch)->on);
                     ++starts;
                   }
                   prev = r.anomaly;
                 });
  EXPECT_GT(starts, 1000u);
}

}  // namespace
}  // namespace iiot

namespace iiot {
namespace {

TEST(Anomaly, StartedMarksTheFirstMessageOfEachEpisode) {
  // With a known episode length (4; spikes 1) the stream cuts back into episodes: the flag
  // must be set exactly on each episode's first message, even when episodes of one kind
  // follow each other without a gap.
  ModelParams params = QuietParams();
  params.anomalies = {0.05, 0.05, 0.05, 0.05, 0.05, 4, 4};
  constexpr int kSamples = 500;
  std::vector<Reading> stream(kSamples);
  uint64_t starts = 0;
  Plant plant(5);
  for (uint64_t d = 1; d <= 200; ++d) {
    DeviceModel model(5, d, BoilerRoom());
    for (int i = 0; i < kSamples; ++i)
      model.Sample(params, plant, testing::kStart + i * 5000LL, &stream[static_cast<size_t>(i)]);
    size_t next_start = 0;  // index where the running episode ends (or the next idle message)
    for (size_t i = 0; i < stream.size(); ++i) {
      const Reading& r = stream[i];
      const bool expect_start = i >= next_start && r.anomaly != AnomalyKind::kNone;
      ASSERT_EQ(r.anomaly_started, expect_start) << "device " << d << " message " << i;
      if (expect_start) {
        ++starts;
        next_start = i + (r.anomaly == AnomalyKind::kSpike ? 1 : 4);
      }
    }
  }
  EXPECT_GT(starts, 1000u);
}

}  // namespace
}  // namespace iiot
