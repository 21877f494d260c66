// Shared by the sim tests: quiet model parameters, one-profile fleets, running moments.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "config/config.h"
#include "sim/device_model.h"

namespace iiot::testing {

// 2026-01-01T00:00:00Z: the simulated start of the tests' streams.
inline constexpr UnixMillis kStart = 1'767'225'600'000;

// Default sensors with trends off and no anomalies: the stationary base distributions.
inline ModelParams QuietParams() {
  SensorsConfig sensors;
  sensors.trend_enabled = false;
  return ModelParams(sensors, AnomalyConfig{0, 0, 0, 0, 0, 3, 20});
}

inline Profile MakeProfile(std::vector<SensorType> sensors) {
  Profile p;
  p.name = "test";
  p.sensors = std::move(sensors);
  return p;
}

// Calls fn(reading) for `samples` consecutive readings of each of devices 1..devices,
// every `step` ms from kStart.
template <typename Fn>
void ForEachReading(const ModelParams& params, const Profile& profile, uint64_t seed,
                    uint64_t devices, int samples, Millis step, Fn&& fn) {
  Reading r;
  Plant plant(seed);
  for (uint64_t d = 1; d <= devices; ++d) {
    DeviceModel model(seed, d, profile);
    for (int i = 0; i < samples; ++i) {
      model.Sample(params, plant, kStart + i * step.count(), &r);
      fn(r);
    }
  }
}

// Welford's running mean and variance.
class RunningMoments {
 public:
  void Add(double x) {
    ++n_;
    const double delta = x - mean_;
    mean_ += delta / static_cast<double>(n_);
    m2_ += delta * (x - mean_);
  }
  uint64_t count() const { return n_; }
  double mean() const { return mean_; }
  double stddev() const { return n_ > 1 ? std::sqrt(m2_ / static_cast<double>(n_ - 1)) : 0; }

 private:
  uint64_t n_ = 0;
  double mean_ = 0, m2_ = 0;
};

}  // namespace iiot::testing
