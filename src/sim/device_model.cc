#include "sim/device_model.h"

#include <algorithm>
#include <cmath>

#include "sim/slow_change.h"
#include "sim/switch_chain.h"

namespace iiot {

static_assert(sizeof(DeviceModel) <= 160, "a worker holds up to a million device models");

namespace {

constexpr double kMinAlpha = 1e-6;    // ema_alpha is clamped to [kMinAlpha, 1]
constexpr double kDriftSigmas = 3.0;  // a drift ends this many σ away from the normal value

constexpr size_t Index(SensorType type) { return static_cast<size_t>(type); }

constexpr bool IsNumeric(SensorType type) { return type != SensorType::kSwitch; }

// Slot of a numeric sensor in the per-type state arrays: temperature, humidity, pressure,
// current.
constexpr size_t Slot(SensorType type) {
  return type == SensorType::kCurrent ? 3 : static_cast<size_t>(type);
}

// The values are clamped into [lo, hi]; a misconfigured lo > hi yields hi rather than UB.
double Clamp(double value, double lo, double hi) { return std::min(std::max(value, lo), hi); }

}  // namespace

DeviceModel::DeviceModel(uint64_t seed, uint64_t device, const Profile& profile)
    : device_(device), weather_key_(WeatherKey(seed)), rng_(seed, device) {
  for (SensorType type : profile.sensors) {
    if (sensor_count_ == kSensorTypeCount) break;
    const auto end = sensors_.begin() + sensor_count_;
    if (std::find(sensors_.begin(), end, type) != end) continue;  // duplicates: first wins
    sensors_[sensor_count_++] = type;
    if (type == SensorType::kSwitch || type == SensorType::kCurrent) has_switch_state_ = true;
  }
}

void DeviceModel::Sample(const ModelParams& params, UnixMillis t, Reading* out) {
  const SensorsConfig& sensors = params.sensors;
  if (seq_ == 0) Initialise(sensors, t);
  ++seq_;

  const bool switch_was_on = switch_on_;
  if (has_switch_state_) {
    if (episode_.kind == AnomalyKind::kChatter) {
      switch_on_ = !switch_on_;
    } else {
      StepSwitch(sensors, t);
    }
  }

  // ar1 <- (1-α) ar1 + α s ε with s = sqrt((2-α)/α), in units of σ: stationary σ is 1.
  const double alpha = std::clamp(sensors.ema_alpha, kMinAlpha, 1.0);
  const double gain = std::sqrt(alpha * (2.0 - alpha));
  for (uint8_t i = 0; i < sensor_count_; ++i) {
    if (!IsNumeric(sensors_[i])) continue;
    double& noise = noise_[Slot(sensors_[i])];
    noise = (1.0 - alpha) * noise + gain * rng_.Normal();
  }

  bool started = false;
  if (episode_.kind == AnomalyKind::kNone) {
    MaybeStartEpisode(params.anomalies, switch_was_on);
    started = episode_.kind != AnomalyKind::kNone;
  }

  out->device = device_;
  out->seq = seq_;
  out->ts = t;
  out->sensor_count = sensor_count_;
  out->anomaly = episode_.kind;
  out->anomaly_started = started;
  out->anomaly_sensor =
      episode_.kind == AnomalyKind::kNone ? SensorType::kTemperature : episode_.sensor;
  for (uint8_t i = 0; i < sensor_count_; ++i) {
    const SensorType type = sensors_[i];
    SensorValue& v = out->sensors[i];
    v.type = type;
    v.present = !(episode_.kind == AnomalyKind::kDropout && episode_.sensor == type);
    if (IsNumeric(type)) {
      v.on = false;
      v.value = NumericValue(sensors, type, t);
    } else {
      v.on = switch_on_;
      v.value = switch_on_ ? 1.0 : 0.0;
    }
  }

  if (episode_.kind != AnomalyKind::kNone && --episode_.remaining == 0) {
    episode_.kind = AnomalyKind::kNone;
  }
}

void DeviceModel::Initialise(const SensorsConfig& sensors, UnixMillis t) {
  // Start in the stationary distribution: no warm-up transient.
  for (uint8_t i = 0; i < sensor_count_; ++i) {
    if (IsNumeric(sensors_[i])) noise_[Slot(sensors_[i])] = rng_.Normal();
  }
  if (has_switch_state_) {
    const SensorParams& p = sensors.params[Index(SensorType::kSwitch)];
    switch_on_ =
        rng_.Bernoulli(UsageProbability(p.p_on, SlowAmplitude(sensors, SensorType::kSwitch),
                                        SlowShape(SensorType::kSwitch, t, weather_key_)));
  }
}

void DeviceModel::StepSwitch(const SensorsConfig& sensors, UnixMillis t) {
  const SensorParams& p = sensors.params[Index(SensorType::kSwitch)];
  const double amplitude = SlowAmplitude(sensors, SensorType::kSwitch);
  const double shape = amplitude != 0 ? SlowShape(SensorType::kSwitch, t, weather_key_) : 0.0;
  const SwitchTransitions next =
      SwitchTransitionsFor(UsageProbability(p.p_on, amplitude, shape), p.stickiness);
  const double u = rng_.Uniform();
  switch_on_ = switch_on_ ? u >= next.on_to_off : u < next.off_to_on;
}

void DeviceModel::MaybeStartEpisode(const AnomalyConfig& anomalies, bool switch_was_on) {
  // One draw picks at most one kind: kind k starts with probability exactly rate_k.
  const double rates[] = {anomalies.spike, anomalies.stuck, anomalies.drift, anomalies.dropout,
                          anomalies.chatter};
  const double u = rng_.Uniform();
  double cumulative = 0;
  AnomalyKind kind = AnomalyKind::kNone;
  for (int k = 0; k < 5; ++k) {
    cumulative += std::max(rates[k], 0.0);
    if (u < cumulative) {
      kind = static_cast<AnomalyKind>(k + 1);
      break;
    }
  }
  if (kind == AnomalyKind::kNone) return;

  std::array<SensorType, kSensorTypeCount> eligible{};
  uint32_t count = 0;
  for (uint8_t i = 0; i < sensor_count_; ++i) {
    const SensorType type = sensors_[i];
    // A current anomaly needs current: only while the switch is on.
    const bool numeric_now = IsNumeric(type) && (type != SensorType::kCurrent || switch_on_);
    bool ok = false;
    switch (kind) {
      case AnomalyKind::kSpike:
      case AnomalyKind::kDrift:
        ok = numeric_now;
        break;
      case AnomalyKind::kStuck:
        ok = numeric_now && seq_ > 1;
        break;  // needs a last message
      case AnomalyKind::kDropout:
        ok = true;
        break;
      case AnomalyKind::kChatter:
        ok = type == SensorType::kSwitch && seq_ > 1;
        break;  // visible
      case AnomalyKind::kNone:
        break;
    }
    if (ok) eligible[count++] = type;
  }
  if (count == 0) return;

  episode_.kind = kind;
  episode_.sensor = eligible[rng_.Below(count)];
  if (kind == AnomalyKind::kSpike) {
    episode_.length = 1;
  } else {
    const uint32_t min_length = std::max<uint32_t>(anomalies.min_length, 1);
    const uint32_t max_length = std::max(anomalies.max_length, min_length);
    episode_.length = min_length + rng_.Below(max_length - min_length + 1);
  }
  episode_.remaining = episode_.length;
  if (kind == AnomalyKind::kDrift) episode_.sign = rng_.Bernoulli(0.5) ? int8_t{1} : int8_t{-1};
  if (kind == AnomalyKind::kChatter) switch_on_ = !switch_was_on;  // toggles from this message
}

double DeviceModel::NumericValue(const SensorsConfig& sensors, SensorType type, UnixMillis t) {
  const SensorParams& p = sensors.params[Index(type)];
  const size_t slot = Slot(type);
  const AnomalyKind anomaly = episode_.sensor == type ? episode_.kind : AnomalyKind::kNone;
  double value;
  if (anomaly == AnomalyKind::kStuck) {
    value = last_[slot];
  } else if (anomaly == AnomalyKind::kSpike) {
    // Beyond the threshold: below it when the threshold is under the mean (humidity's
    // "dry"), above it otherwise. (1 - U) keeps an upward spike strictly above.
    value = p.anomaly_threshold < p.mean
                ? rng_.Uniform(p.min, p.anomaly_threshold)
                : p.anomaly_threshold + (p.max - p.anomaly_threshold) * (1.0 - rng_.Uniform());
    value = Clamp(value, p.min, p.max);
  } else {
    const double sigma = p.stddev * sensors.data_variation;
    value = p.mean + sigma * noise_[slot];
    const double amplitude = SlowAmplitude(sensors, type);
    if (amplitude != 0) value += amplitude * SlowShape(type, t, weather_key_);
    if (anomaly == AnomalyKind::kDrift) {
      const uint32_t elapsed = episode_.length - episode_.remaining + 1;  // 1..length
      value += episode_.sign * kDriftSigmas * sigma * static_cast<double>(elapsed) /
               static_cast<double>(episode_.length);
    }
    value = Clamp(value, p.min, p.max);
  }
  if (type == SensorType::kCurrent && !switch_on_) value = 0;
  if (anomaly != AnomalyKind::kStuck) last_[slot] = value;
  return value;
}

}  // namespace iiot
