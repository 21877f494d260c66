// Readings for the codec tests: hand-built ones with known content, and streams from the
// real device models over a real Fleet (config defaults), anomalies made frequent so every
// label and dropouts show up.
#pragma once

#include <cstdint>
#include <vector>

#include "config/config.h"
#include "sim/device_model.h"
#include "sim/fleet.h"
#include "sim/reading.h"

namespace iiot::testing {

// 2026-11-21T10:00:00.123Z
inline constexpr UnixMillis kSampleTs = 1'795'255'200'123;
// b03-f02-r014 with the default 5 x 4 x 20 rooms and 10,000 devices (25 per room).
inline constexpr uint64_t kSampleDevice = 4826;

// Defaults, with one profile "boiler-room" (temperature, current, switch) so every device
// has the sensors of docs/message.md's example.
inline Config BoilerConfig() {
  Config cfg;
  cfg.fleet.profiles = {{"boiler-room",
                         {SensorType::kTemperature, SensorType::kCurrent, SensorType::kSwitch},
                         Millis{3000},
                         1}};
  return cfg;
}

inline SensorValue Numeric(SensorType type, double value) {
  SensorValue s;
  s.type = type;
  s.value = value;
  return s;
}

inline SensorValue Switch(bool on) {
  SensorValue s;
  s.type = SensorType::kSwitch;
  s.on = on;
  s.value = on ? 1.0 : 0.0;
  return s;
}

// The example message of docs/message.md, for kSampleDevice of BoilerConfig().
inline Reading BoilerReading() {
  Reading r;
  r.device = kSampleDevice;
  r.seq = 1234;
  r.ts = kSampleTs;
  r.sensor_count = 3;
  r.sensors[0] = Numeric(SensorType::kTemperature, 24.8712);
  r.sensors[1] = Numeric(SensorType::kCurrent, 2.4149);
  r.sensors[2] = Switch(true);
  return r;
}

// Config defaults (all default profiles) with anomalies 100x more frequent.
inline Config BusyConfig() {
  Config cfg;
  cfg.fleet.profiles = DefaultProfiles();
  cfg.anomalies.spike = 0.05;
  cfg.anomalies.stuck = 0.05;
  cfg.anomalies.drift = 0.05;
  cfg.anomalies.dropout = 0.05;
  cfg.anomalies.chatter = 0.05;
  // Incidents over short spans, so 30 s of readings meet some of each kind and scope.
  cfg.incidents.kinds[0] = {18, ScopeLevel::kRoom, Millis{10'000}, Millis{60'000}};
  cfg.incidents.kinds[1] = {200, ScopeLevel::kBuilding, Millis{5'000}, Millis{20'000}};
  return cfg;
}

// `steps` readings from each of devices 1..devices, in time order, from the real models.
inline std::vector<Reading> SimulatedReadings(const Config& cfg, const Fleet& fleet,
                                              uint64_t devices, int steps,
                                              UnixMillis start = kSampleTs) {
  std::vector<DeviceModel> models;
  for (uint64_t d = 1; d <= devices; ++d) {
    models.emplace_back(cfg.run.seed, d, fleet.ProfileOf(d), fleet.LocationOf(d));
  }
  const ModelParams params{cfg.sensors, cfg.anomalies, cfg.incidents};
  Plant plant(cfg.run.seed);
  std::vector<Reading> out;
  out.reserve(devices * static_cast<uint64_t>(steps));
  for (int step = 0; step < steps; ++step) {
    for (DeviceModel& m : models) {
      Reading r;
      m.Sample(params, plant, start + step * 1000 + static_cast<int64_t>(m.device()), &r);
      out.push_back(r);
    }
  }
  return out;
}

}  // namespace iiot::testing
