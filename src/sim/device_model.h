// DeviceModel: the simulated state of one device (its own fluctuation per numeric sensor,
// switch state, running anomaly episode, sequence number, RNG) and the step that produces
// its next Reading from it and from the shared plant around it. Small (≤ 192 bytes) so a
// worker can hold a million.
// Not thread-safe: owned by the worker that simulates the device.
//
// Model (docs/sensors.md): a numeric value is the sum of the site's weather, its building's
// and room's parts (fixed offsets and a slow shared process), a fixed per-device offset, the
// device's own Ornstein-Uhlenbeck process and the type's cycles; a soft range keeps it off
// the bounds and out of the anomaly band; measurement noise is added last. Shared parts are
// pure functions of (seed, place, time) (sim/hash_noise.h), so every device, thread and
// shard agrees on them; the own process evolves with the elapsed time, not the number of
// samples. Switch: a sticky continuous-time chain with stationary p(on) following the day.
// Current: the on-state load, with an inrush at switch-on, exactly 0 when off. Anomaly
// episodes (AnomalyConfig) start at random, one at a time per device, and label every
// message they touch.
#pragma once

#include <array>
#include <cstdint>

#include "config/config.h"
#include "sim/fleet.h"
#include "sim/incidents.h"
#include "sim/model_params.h"
#include "sim/plant.h"
#include "sim/reading.h"
#include "sim/rng.h"
#include "sim/type_model.h"

namespace iiot {

class DeviceModel {
 public:
  DeviceModel() = default;
  // device: 1-based number; profile: the device's sensors (not retained); where: its room.
  DeviceModel(uint64_t seed, uint64_t device, const Profile& profile, Location where = {});

  // Advances the device to time t (non-decreasing between calls) and fills *out with the
  // next reading: seq = previous + 1, sensors in profile order, anomaly label if an
  // episode is running (anomaly_started on its first message). Never allocates.
  // plant: the run's (same seed), owned by the calling thread.
  void Sample(const ModelParams& params, Plant& plant, UnixMillis t, Reading* out);

  // The network outage keeping the device from sending at t, phase kNone when it is online
  // (the worker then holds or drops its reading: Samples it later, or not at all).
  IncidentLabel Offline(const ModelParams& params, const Plant& plant, UnixMillis t) const;

  uint64_t device() const { return device_; }
  uint64_t seq() const { return seq_; }

 private:
  // The running anomaly episode; kind kNone when there is none.
  struct Episode {
    uint32_t remaining = 0;  // messages left, the current one included
    uint32_t length = 0;     // messages in the whole episode
    AnomalyKind kind = AnomalyKind::kNone;
    SensorType sensor = SensorType::kTemperature;
    int8_t sign = 1;  // drift direction
  };

  void Initialise(const ModelParams& params, Plant& plant, UnixMillis t);
  void UpdateSlow(const ModelParams& params, Plant& plant, UnixMillis t);
  void StepSwitch(const ModelParams& params, Plant& plant, UnixMillis t, double elapsed_s);
  void MaybeStartEpisode(const AnomalyConfig& anomalies, bool switch_was_on, bool power_off);
  PlaceKeys Place(const Plant& plant) const;
  IncidentEffect Incidents(const ModelParams& params, const Plant& plant, UnixMillis t) const;
  // The anomaly-free value of a numeric sensor at t; inrush multiplies current's load.
  // What one sample's sensors share: the time, current's inrush factor, the room's climate
  // (N(0, 1): temperature's, and humidity moves against it), an HVAC failure's offset.
  struct Instant {
    UnixMillis t = 0;
    double inrush = 1;
    double climate = 0;
    double hvac = 0;  // an HVAC failure's offset of the room's temperature (°C)
  };
  double NormalValue(const ModelParams& params, Plant& plant, SensorType type, const Instant& now);
  // emitted: the sensor is in the message (not dropped out), so stuck may repeat it later.
  double NumericValue(const ModelParams& params, Plant& plant, SensorType type, const Instant& now,
                      bool emitted);

  // Constant after construction.
  uint64_t device_ = 0;
  uint64_t room_key_ = 0;  // the device's room in the run's plant (its shared processes)
  uint32_t site_room_ = 0;
  uint16_t building_ = 1;  // the place's numbers (fleet sizes stay below 65,536)
  uint16_t floor_ = 1;
  uint16_t room_ = 1;
  uint8_t sensor_count_ = 0;
  std::array<SensorType, kSensorTypeCount> sensors_{};  // profile order
  bool has_switch_state_ = false;  // a switch or current sensor: a (maybe hidden) switch
  bool has_current_ = false;
  bool has_climate_ = false;  // temperature or humidity
  // Evolving state.
  bool switch_on_ = false;   // the switch's chain
  bool emitted_on_ = false;  // what the last message showed (off while the power is off)
  uint8_t on_samples_ = 0;   // samples since the switch last turned on (saturating)
  Episode episode_;
  Rng rng_;
  uint64_t seq_ = 0;
  UnixMillis last_t_ = 0;
  std::array<float, kNumericTypeCount> own_{};    // own process in units of its σ
  std::array<double, kNumericTypeCount> last_{};  // last emitted value (stuck freezes it)
  // Per numeric slot, in the type's raw units: the fixed offsets of the device and its room
  // and the days-long processes of its room and building, taken at the start of the minute
  // slow_minute_ (they move by far less than a reading's resolution in a minute) for the
  // settings slow_params_ (low bits of ModelParams::id()).
  std::array<float, kNumericTypeCount> slow_{};
  int32_t slow_minute_ = INT32_MIN;
  uint32_t slow_params_ = 0;
};

}  // namespace iiot
