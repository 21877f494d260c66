#include "sim/plant.h"

#include <cmath>

#include "sim/device_model.h"
#include "sim/hash_noise.h"
#include "sim/rng.h"
#include "sim/slow_change.h"
#include "sim/switch_chain.h"

namespace iiot {

uint64_t PlantWorld(uint64_t seed) { return Mix64(seed ^ 0x504c414e54ULL); }  // "PLANT"

uint64_t PartKey(uint64_t base, size_t slot, PlantPart part) {
  return Mix64(base + 0x1000 * (slot + 1) + part);
}

Plant::Plant(uint64_t seed) : world_(PlantWorld(seed)), weather_key_(WeatherKey(seed)) {
  for (size_t slot = 0; slot < kNumericTypeCount; ++slot) {
    for (int part = 0; part < kPlantPartCount; ++part) {
      fixed_start_[slot * kPlantPartCount + static_cast<size_t>(part)] =
          ToUnit(Mix64(PartKey(world_, slot, static_cast<PlantPart>(part))));
    }
  }
}

double Plant::Fixed(uint64_t index, size_t slot, PlantPart part) const {
  // A Weyl stream of its own for each (type, room or device): 0..7 of the 12 there are.
  const int stream = static_cast<int>(slot * 2 + (part == kDevicePart ? 1 : 0));
  return BalancedNormal(index, fixed_start_[slot * kPlantPartCount + part], stream);
}

double Plant::Compute(SiteValue v, UnixMillis t) const {
  switch (v) {
    case SiteValue::kDay:
      return SlowShape(SensorType::kTemperature, t, weather_key_);
    case SiteValue::kSummer:
      return Cycle(t, kSummerPeakMillis, kMillisPerYear);
    case SiteValue::kHumiditySeason:
      return SlowShape(SensorType::kHumidity, t, weather_key_);
    case SiteValue::kFronts:
      return SlowShape(SensorType::kPressure, t, weather_key_);
    case SiteValue::kWeek:
      return SlowShape(SensorType::kCurrent, t, weather_key_);
    case SiteValue::kPressureWeather:
      return SmoothNoise(Mix64(world_ ^ 0x5052455353ULL), t, kWeatherKnot);  // "PRESS"
    case SiteValue::kHumidityWeather:
      return SmoothNoise(Mix64(world_ ^ 0x48554d4944ULL), t, kWeatherKnot);  // "HUMID"
  }
  return 0;
}

double Plant::Site(SiteValue v, UnixMillis t) {
  if (t != site_t_) {
    site_t_ = t;
    site_valid_ = 0;
  }
  const uint32_t bit = 1u << static_cast<int>(v);
  if ((site_valid_ & bit) == 0) {
    site_[static_cast<size_t>(v)] = Compute(v, t);
    site_valid_ |= bit;
  }
  return site_[static_cast<size_t>(v)];
}

void Plant::Adopt(const ModelParams& params) {
  if (params.id() == params_id_) return;
  params_id_ = params.id();
  switch_t_ = INT64_MIN;
  keep_used_ = 0;
}

const SwitchNow& Plant::Switch(const ModelParams& params, UnixMillis t) {
  Adopt(params);
  if (t != switch_t_) {
    switch_t_ = t;
    const SensorsConfig& sensors = params.sensors();
    const SensorParams& p = sensors.params[static_cast<size_t>(SensorType::kSwitch)];
    const double amplitude = SlowAmplitude(sensors, SensorType::kSwitch);
    switch_.p_on =
        UsageProbability(p.p_on, amplitude, amplitude != 0 ? Site(SiteValue::kDay, t) : 0.0);
    switch_.log_memory = SwitchLogMemory(switch_.p_on, p.stickiness);
  }
  return switch_;
}

const std::array<double, kNumericTypeCount>& Plant::OwnKeep(const ModelParams& params,
                                                            UnixMillis elapsed) {
  Adopt(params);
  for (int i = 0; i < keep_used_; ++i) {
    if (keep_elapsed_[i] == elapsed) return keep_[i];
  }
  const int slot = keep_next_;
  keep_next_ = (keep_next_ + 1) % kKeepSlots;
  if (keep_used_ < kKeepSlots) ++keep_used_;
  keep_elapsed_[slot] = elapsed;
  const double seconds = static_cast<double>(elapsed) / 1000.0;
  for (SensorType type : {SensorType::kTemperature, SensorType::kHumidity, SensorType::kPressure,
                          SensorType::kCurrent}) {
    const double tau = params.model(type).own_tau_s;
    keep_[slot][NumericSlot(type)] = tau > 0 ? std::exp(-seconds / tau) : 0.0;
  }
  return keep_[slot];
}

}  // namespace iiot
