// Plant: the run's shared world at one instant: the site's cycles (day, seasons, weather
// fronts, the week's load), its weather processes, the switches' usage, and the decay of
// the devices' own processes over common elapsed times. Each value is a pure function of
// (seed, t, settings) and is computed once per distinct t and reused by every device sampled
// at that t (at high rates a worker samples hundreds of devices per millisecond), so the
// cache changes no result: any thread or shard computes the same value.
// Not thread-safe: one per worker (or test), passed to DeviceModel::Sample.
#pragma once

#include <array>
#include <cstdint>

#include "config/config.h"
#include "sim/type_model.h"

namespace iiot {

class ModelParams;

// The key of a run's plant: its shared processes and fixed offsets derive from it.
uint64_t PlantWorld(uint64_t seed);

// The parts of a numeric type's value that a place (room, building, device) keys.
enum PlantPart : uint64_t { kRoomPart = 1, kSlowPart, kDevicePart, kSharedPart };
inline constexpr int kPlantPartCount = 5;  // indices 0..4 (0 unused)

// The key of a part of the numeric type in `slot` at the place keyed by `base`.
uint64_t PartKey(uint64_t base, size_t slot, PlantPart part);

// Site-wide values at t (Plant::Site).
enum class SiteValue : uint8_t {
  kDay,              // cos over 24 h, peak 15:00 (temperature's day, switches' usage)
  kSummer,           // cos over the year, peak 15 July (indoor season)
  kHumiditySeason,   // humidity's shape: cos over the year, peak 15 January
  kFronts,           // pressure's fronts: mean of three cosines with seeded phases
  kWeek,             // current's load: cos over 7 days, peak Wednesday 12:00
  kPressureWeather,  // the site's pressure weather, N(0, 1)
  kHumidityWeather,  // the site's outdoor humidity, N(0, 1)
};
inline constexpr int kSiteValueCount = 7;

// The switch chain's state at t: p(on) after the day's usage, and ln of its memory per
// reference interval (sim/switch_chain.h), -inf when it forgets within one.
struct SwitchNow {
  double p_on = 0;
  double log_memory = 0;
};

class Plant {
 public:
  // Site weather (the shared process of types with TypeModel::shared_by_site) uses this knot.
  static constexpr int64_t kWeatherKnot = 12 * 3'600'000LL;

  explicit Plant(uint64_t seed);

  uint64_t world() const { return world_; }  // the key of the run's plant
  uint32_t weather_key() const { return weather_key_; }

  double Site(SiteValue v, UnixMillis t);
  // The fixed offset (N(0, 1), evenly spread over the scope: BalancedNormal) of member
  // `index` of a scope for a numeric type's part: kRoomPart (site-wide room index) or
  // kDevicePart (device number).
  double Fixed(uint64_t index, size_t slot, PlantPart part) const;
  const SwitchNow& Switch(const ModelParams& params, UnixMillis t);
  // exp(-elapsed / τ) of each numeric type's own process, by NumericSlot.
  const std::array<double, kNumericTypeCount>& OwnKeep(const ModelParams& params,
                                                       UnixMillis elapsed);

 private:
  double Compute(SiteValue v, UnixMillis t) const;
  // Empties what depends on the settings when they are new ones.
  void Adopt(const ModelParams& params);

  uint64_t world_;
  uint32_t weather_key_;
  std::array<double, kNumericTypeCount * kPlantPartCount> fixed_start_{};
  UnixMillis site_t_ = INT64_MIN;
  uint32_t site_valid_ = 0;  // bit per SiteValue computed for site_t_
  std::array<double, kSiteValueCount> site_{};
  // The switch and the decays depend on the settings too: a new ModelParams (its id)
  // empties them.
  uint64_t params_id_ = 0;
  UnixMillis switch_t_ = INT64_MIN;
  SwitchNow switch_;
  static constexpr int kKeepSlots = 4;  // a few distinct intervals (profiles) at once
  std::array<UnixMillis, kKeepSlots> keep_elapsed_{};
  std::array<std::array<double, kNumericTypeCount>, kKeepSlots> keep_{};
  int keep_next_ = 0;
  int keep_used_ = 0;
};

}  // namespace iiot
