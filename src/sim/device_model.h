// DeviceModel: the simulated state of one device (per-sensor smoothed noise, switch state,
// running anomaly episode, sequence number, RNG) and the step that produces its next
// Reading. Small (152 bytes) so a worker can hold a million.
// Not thread-safe: owned by the worker that simulates the device.
//
// Model (see docs/sensors.md): value(t) = clamp(mean + slow(t) + ar1, [min, max]) where ar1
// is EMA-smoothed Gaussian noise scaled so its stationary σ equals SensorParams::stddev ×
// data_variation, and slow(t) is the type's cycle (day/night, seasonal, weather, load) ×
// trend_strength when trend_enabled. Switch: sticky two-state chain with stationary p(on).
// Current: 0 whenever the device's switch is off. Anomaly episodes (AnomalyConfig) start at
// random, one at a time per device, and label every message they touch.
#pragma once

#include <array>
#include <cstdint>

#include "config/config.h"
#include "sim/reading.h"
#include "sim/rng.h"

namespace iiot {

// The parameters every device model reads at each sample. Cheap to copy; a worker keeps
// one and may replace it between samples (hot reload).
struct ModelParams {
  SensorsConfig sensors;
  AnomalyConfig anomalies;
};

class DeviceModel {
 public:
  DeviceModel() = default;
  // device: 1-based number; profile: the device's sensors (not retained).
  DeviceModel(uint64_t seed, uint64_t device, const Profile& profile);

  // Advances the device to time t (non-decreasing between calls) and fills *out with the
  // next reading: seq = previous + 1, sensors in profile order, anomaly label if an
  // episode is running (anomaly_started on its first message). Never allocates.
  void Sample(const ModelParams& params, UnixMillis t, Reading* out);

  uint64_t device() const { return device_; }
  uint64_t seq() const { return seq_; }

 private:
  // Numeric sensors' slots in noise_ and last_: temperature, humidity, pressure, current.
  static constexpr int kNumericCount = 4;

  // The running anomaly episode; kind kNone when there is none.
  struct Episode {
    uint32_t remaining = 0;  // messages left, the current one included
    uint32_t length = 0;     // messages in the whole episode
    AnomalyKind kind = AnomalyKind::kNone;
    SensorType sensor = SensorType::kTemperature;
    int8_t sign = 1;  // drift direction
  };

  void Initialise(const SensorsConfig& sensors, UnixMillis t);
  void StepSwitch(const SensorsConfig& sensors, UnixMillis t);
  void MaybeStartEpisode(const AnomalyConfig& anomalies, bool switch_was_on);
  double NumericValue(const SensorsConfig& sensors, SensorType type, UnixMillis t);

  // Constant after construction.
  uint64_t device_ = 0;
  uint32_t weather_key_ = 0;
  uint8_t sensor_count_ = 0;
  std::array<SensorType, kSensorTypeCount> sensors_{};  // profile order
  bool has_switch_state_ = false;  // a switch or current sensor: a (maybe hidden) switch
  // Evolving state (ordered to pack into 152 bytes).
  bool switch_on_ = false;
  Episode episode_;
  Rng rng_;
  uint64_t seq_ = 0;
  std::array<double, kNumericCount> noise_{};  // AR(1) noise in units of σ, unclamped
  std::array<double, kNumericCount> last_{};   // last emitted value (stuck freezes it)
};

}  // namespace iiot
