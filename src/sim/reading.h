// Reading: one message's worth of simulated data from one device at one instant, before
// encoding. Plain data, filled by DeviceModel::Sample, read by the encoders. Owned by the
// worker that samples it; not synchronised.
#pragma once

#include <array>
#include <cstdint>

#include "config/config.h"
#include "sim/incidents.h"

namespace iiot {

// Injected anomaly kinds; every message produced during an episode carries the label.
enum class AnomalyKind : uint8_t { kNone = 0, kSpike, kStuck, kDrift, kDropout, kChatter };
inline constexpr int kAnomalyKindCount = 6;  // including kNone
const char* Name(AnomalyKind k);  // "none", "spike", "stuck", "drift", "dropout", "chatter"

// One sensor's value in a reading.
struct SensorValue {
  SensorType type = SensorType::kTemperature;
  bool present = true;  // false: dropped out (omitted from the message)
  bool on = false;      // switch only
  double value = 0;     // numeric sensors; switch: 1.0 when on, 0.0 when off
};

struct Reading {
  uint64_t device = 0;       // 1-based device number; the fleet turns it into the id string
  uint64_t seq = 0;          // 1, 2, 3... per device from the run's start
  UnixMillis ts = 0;         // simulated or wall-clock time of the sample
  uint8_t sensor_count = 0;  // sensors[0..sensor_count) are used,
  std::array<SensorValue, kSensorTypeCount> sensors{};  // in the profile's order
  AnomalyKind anomaly = AnomalyKind::kNone;
  SensorType anomaly_sensor = SensorType::kTemperature;  // meaningful when anomaly != kNone
  bool anomaly_started = false;  // this is the first message of its anomaly episode
  bool anomaly_ended = false;    // this is the last message of its anomaly episode
  // An episode ended before this message (a power loss cut it short): the device's previous
  // message was its last.
  bool anomaly_cut = false;
  IncidentLabel incident;  // a plant-wide incident touching the device, if any

  // "good" when every sensor is present, "partial" when one dropped out.
  const char* Quality() const;
};

}  // namespace iiot
