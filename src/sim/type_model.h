// TypeModel: the constants of one numeric sensor type's model, derived once from its
// SensorParams and the sensors.* knobs: how the fleet's σ splits into the plant's shared
// parts and the device's own, their time constants, the soft range that keeps normal
// readings off the bounds and out of the anomaly band, and how far a spike must land.
// docs/sensors.md has the recipe and the numbers. Plain values; thread-safe.
#pragma once

#include <array>
#include <cstdint>

#include "config/config.h"
#include "sim/soft_range.h"

namespace iiot {

// Slots of the numeric types: temperature, humidity, pressure, current.
inline constexpr int kNumericTypeCount = 4;
constexpr size_t NumericSlot(SensorType type) {
  return type == SensorType::kCurrent ? 3 : static_cast<size_t>(type);
}

// Knot spacing of the slow processes of rooms and buildings (SmoothNoise): a room's use,
// a building's HVAC schedule change over days, so over a year they average out.
inline constexpr int64_t kRoomSlowKnot = 4 * 86'400'000LL;
inline constexpr int64_t kBuildingSlowKnot = 2 * 86'400'000LL;

struct TypeModel {
  // The raw value: mean + cycles + the σ-weighted parts below, each part a unit-variance
  // signal. Amounts are in the type's unit before the soft range's stretch.
  double mean = 0;
  double cycle = 0;             // the main cycle's amplitude: day, season, fronts or week
  double season = 0;            // temperature: the indoor seasonal amplitude
  double room = 0;              // fixed per room (set-point, humidity level)
  double room_slow = 0;         // the room's use over days (kRoomSlowKnot)
  double building_slow = 0;     // the building's over days (kBuildingSlowKnot)
  double device = 0;            // fixed per device (calibration, rated load)
  double shared = 0;            // the shared slow process: weather (site), climate or load (room)
  int64_t shared_knot = 0;      // its knot spacing, ms
  bool shared_by_site = false;  // weather: one process for the site; else one per room
  double own = 0;               // the device's own Ornstein-Uhlenbeck process
  double own_tau_s = 0;         // and its time constant, seconds
  double per_floor = 0;         // pressure: offset per floor above the ground floor
  double coupling = 0;          // humidity: change per unit of the room's temperature swing
  double noise = 0;             // measurement noise, after the soft range
  // raw → emitted: SoftRange(input_mean + stretch·(raw − mean)) + noise, within [min, max].
  FittedRange fit;
  double stretch = 1;
  double min = 0, max = 0;
  // Anomalies: the band starts at threshold, above the normal range or (band_below) below.
  double threshold = 0;
  bool band_below = false;
  double spike_gap = 0;  // a spike lands at least this far from the device's level
  double sigma = 0;      // the fleet σ (stddev × data_variation): drift's unit
};

// Every numeric type's model for these settings, by NumericSlot.
std::array<TypeModel, kNumericTypeCount> BuildTypeModels(const SensorsConfig& sensors);

// The emitted value for a raw one (before measurement noise and drift).
inline double Shape(const TypeModel& m, double raw) {
  return m.fit.range.Apply(m.fit.input_mean + m.stretch * (raw - m.mean));
}

}  // namespace iiot
