// Shared by the sim tests: quiet model parameters, one-profile fleets, running moments and
// the clamped normal's exact moments they are compared against.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
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

struct Moments {
  double mean = 0;
  double stddev = 0;
};

// Mean and σ of clamp(X, lo, hi) for X ~ N(mu, sigma²): the masses beyond the bounds sit
// on the bounds, the rest is the truncated normal's.
inline Moments ClampedNormalMoments(double mu, double sigma, double lo, double hi) {
  const auto pdf = [](double z) {
    return std::exp(-0.5 * z * z) / std::sqrt(2 * std::numbers::pi);
  };
  const auto cdf = [](double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); };
  const double a = (lo - mu) / sigma, b = (hi - mu) / sigma;
  const double inside = cdf(b) - cdf(a);
  const double m1 = lo * cdf(a) + hi * (1 - cdf(b)) + mu * inside + sigma * (pdf(a) - pdf(b));
  const double m2 = lo * lo * cdf(a) + hi * hi * (1 - cdf(b)) + mu * mu * inside +
                    2 * mu * sigma * (pdf(a) - pdf(b)) +
                    sigma * sigma * (inside + a * pdf(a) - b * pdf(b));
  return {m1, std::sqrt(m2 - m1 * m1)};
}

}  // namespace iiot::testing
