// DeviceModel: the simulated state of one device (per-sensor smoothed noise, switch state,
// running anomaly episode, sequence number, RNG) and the step that produces its next
// Reading. Small (about 100 bytes) so a worker can hold hundreds of thousands.
// Not thread-safe: owned by the worker that simulates the device.
//
// Model (see docs/sensors.md): value(t) = clamp(mean + slow(t) + ar1, [min, max]) where ar1
// is EMA-smoothed Gaussian noise scaled so its stationary σ equals SensorParams::stddev ×
// data_variation, and slow(t) is the type's cycle (day/night, seasonal, weather, load) ×
// trend_strength when trend_enabled. Switch: sticky two-state chain with stationary p(on).
// Current: 0 whenever the device's switch is off.
#pragma once

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
  // episode is running. Never allocates.
  void Sample(const ModelParams& params, UnixMillis t, Reading* out);

  uint64_t device() const { return device_; }
  uint64_t seq() const { return seq_; }

 private:
  // (implementation-defined state; see device_model.cc)
};

}  // namespace iiot
