#include "sim/device_model.h"

#include <algorithm>
#include <cmath>

#include "sim/hash_noise.h"
#include "sim/incidents.h"
#include "sim/slow_change.h"
#include "sim/switch_chain.h"

namespace iiot {

static_assert(sizeof(DeviceModel) <= 192, "a worker holds up to a million device models");

namespace {

constexpr double kDriftSigmas = 3.0;  // a drift ends this many σ away from the normal value
// A drift goes at most this share of the way to the bound it heads for.
constexpr double kDriftRoom = 0.9;
// A current anomaly needs a switch that has been on this many samples (a steady load).
constexpr uint8_t kSteadyOnSamples = 12;
// Inrush: at switch-on the load starts this many times higher and settles with kInrushTau.
constexpr double kInrushPeak = 2.0;
constexpr double kInrushTauSeconds = 0.5;

constexpr bool IsNumeric(SensorType type) { return type != SensorType::kSwitch; }

double Clamp(double value, double lo, double hi) { return std::min(std::max(value, lo), hi); }

}  // namespace

DeviceModel::DeviceModel(uint64_t seed, uint64_t device, const Profile& profile, Location where)
    : device_(device), rng_(seed, device) {
  const uint64_t world = PlantWorld(seed);
  room_key_ = PlaceKeysOf(world, where).room;
  site_room_ = where.site_room;
  building_ = static_cast<uint16_t>(std::min<uint32_t>(where.building, 0xffff));
  floor_ = static_cast<uint16_t>(std::min<uint32_t>(where.floor, 0xffff));
  room_ = static_cast<uint16_t>(std::min<uint32_t>(where.room, 0xffff));
  for (SensorType type : profile.sensors) {
    if (sensor_count_ == kSensorTypeCount) break;
    const auto end = sensors_.begin() + sensor_count_;
    if (std::find(sensors_.begin(), end, type) != end) continue;  // duplicates: first wins
    sensors_[sensor_count_++] = type;
    if (type == SensorType::kSwitch || type == SensorType::kCurrent) has_switch_state_ = true;
    if (type == SensorType::kCurrent) has_current_ = true;
    if (type == SensorType::kTemperature || type == SensorType::kHumidity) has_climate_ = true;
  }
}

void DeviceModel::Sample(const ModelParams& params, Plant& plant, UnixMillis t, Reading* out) {
  if (seq_ == 0) Initialise(params, plant, t);
  ++seq_;
  const UnixMillis elapsed = std::max<UnixMillis>(t - last_t_, 0);
  const double elapsed_s = static_cast<double>(elapsed) / 1000.0;
  last_t_ = t;

  const IncidentEffect incident = Incidents(params, plant, t);
  const bool switch_was_on = switch_on_;
  const bool holds_current = episode_.kind != AnomalyKind::kNone &&
                             episode_.kind != AnomalyKind::kDropout &&
                             episode_.sensor == SensorType::kCurrent;
  if (has_switch_state_) {
    if (episode_.kind == AnomalyKind::kChatter) {
      switch_on_ = !switch_on_;
    } else if (!holds_current) {  // a current anomaly keeps its load on
      StepSwitch(params, plant, t, elapsed_s);
    }
  }
  // A power loss ends what runs on the switch or current: with both dead there is nothing
  // for the label to show.
  out->anomaly_cut = false;
  if (incident.power_off && episode_.kind != AnomalyKind::kNone &&
      episode_.kind != AnomalyKind::kDropout &&
      (episode_.sensor == SensorType::kSwitch || episode_.sensor == SensorType::kCurrent)) {
    episode_.kind = AnomalyKind::kNone;
    out->anomaly_cut = true;
  }
  // What the message shows: a power loss turns every switch off; the chain runs on behind.
  const bool emitted_before = emitted_on_;
  emitted_on_ = switch_on_ && !incident.power_off;
  if (!emitted_on_) {
    on_samples_ = 0;
  } else if (emitted_before && on_samples_ < 255) {
    ++on_samples_;
  }
  Instant now;
  now.t = t;
  now.hvac = incident.hvac_sigmas * params.model(SensorType::kTemperature).sigma;
  if (has_current_ && emitted_on_ && !emitted_before && seq_ > 1) {
    const double since = rng_.Uniform(0, elapsed_s);  // it turned on since the last sample
    now.inrush += kInrushPeak * std::exp(-since / kInrushTauSeconds);
  }
  if (has_climate_) {
    const TypeModel& temp = params.model(SensorType::kTemperature);
    now.climate =
        SmoothNoise(PartKey(room_key_, NumericSlot(SensorType::kTemperature), kSharedPart), t,
                    temp.shared_knot);
  }

  // The own processes: exact Ornstein-Uhlenbeck steps over the elapsed time.
  UpdateSlow(params, plant, t);
  const std::array<double, kNumericTypeCount>& keeps = plant.OwnKeep(params, elapsed);
  for (uint8_t i = 0; i < sensor_count_; ++i) {
    if (!IsNumeric(sensors_[i])) continue;
    const double keep = keeps[NumericSlot(sensors_[i])];
    float& own = own_[NumericSlot(sensors_[i])];
    own = static_cast<float>(keep * own + std::sqrt(1.0 - keep * keep) * HashNormal(rng_.Next()));
  }

  bool started = false;
  if (episode_.kind == AnomalyKind::kNone) {
    MaybeStartEpisode(params.anomalies, switch_was_on, incident.power_off);
    started = episode_.kind != AnomalyKind::kNone;
    // A chatter turns the switch round from its first message.
    if (episode_.kind == AnomalyKind::kChatter) {
      emitted_on_ = switch_on_ && !incident.power_off;
      if (!emitted_on_) on_samples_ = 0;
    }
  }

  out->device = device_;
  out->seq = seq_;
  out->ts = t;
  out->sensor_count = sensor_count_;
  out->anomaly = episode_.kind;
  out->anomaly_started = started;
  out->anomaly_sensor =
      episode_.kind == AnomalyKind::kNone ? SensorType::kTemperature : episode_.sensor;
  out->incident = incident.label;
  for (uint8_t i = 0; i < sensor_count_; ++i) {
    const SensorType type = sensors_[i];
    SensorValue& v = out->sensors[i];
    v.type = type;
    v.present = !(episode_.kind == AnomalyKind::kDropout && episode_.sensor == type);
    if (IsNumeric(type)) {
      v.on = false;
      v.value = NumericValue(params, plant, type, now, v.present);
    } else {
      v.on = emitted_on_;
      v.value = emitted_on_ ? 1.0 : 0.0;
    }
  }

  out->anomaly_ended = episode_.kind != AnomalyKind::kNone && --episode_.remaining == 0;
  if (out->anomaly_ended) episode_.kind = AnomalyKind::kNone;
}

void DeviceModel::Initialise(const ModelParams& params, Plant& plant, UnixMillis t) {
  last_t_ = t;
  // Start in the stationary distribution: no warm-up transient.
  for (uint8_t i = 0; i < sensor_count_; ++i) {
    if (IsNumeric(sensors_[i])) {
      own_[NumericSlot(sensors_[i])] = static_cast<float>(HashNormal(rng_.Next()));
    }
  }
  if (has_switch_state_) {
    switch_on_ = rng_.Bernoulli(plant.Switch(params, t).p_on);
    emitted_on_ = switch_on_;
    on_samples_ = switch_on_ ? kSteadyOnSamples : 0;
  }
}

void DeviceModel::UpdateSlow(const ModelParams& params, Plant& plant, UnixMillis t) {
  constexpr int64_t kMinute = 60'000;
  int64_t minute = t / kMinute;
  if (minute * kMinute > t) --minute;
  const auto stamp = static_cast<int32_t>(minute);
  const auto id = static_cast<uint32_t>(params.id());
  if (stamp == slow_minute_ && id == slow_params_) return;
  slow_minute_ = stamp;
  slow_params_ = id;
  const UnixMillis at = minute * kMinute;
  for (uint8_t i = 0; i < sensor_count_; ++i) {
    if (!IsNumeric(sensors_[i])) continue;
    const size_t slot = NumericSlot(sensors_[i]);
    const TypeModel& m = params.model(sensors_[i]);
    double sum = 0;
    if (m.room != 0) sum += m.room * plant.Fixed(site_room_, slot, kRoomPart);
    if (m.device != 0) sum += m.device * plant.Fixed(device_, slot, kDevicePart);
    if (m.room_slow != 0) {
      sum += m.room_slow * SmoothNoise(PartKey(room_key_, slot, kSlowPart), at, kRoomSlowKnot);
    }
    if (m.building_slow != 0) {
      sum += m.building_slow *
             SmoothNoise(PartKey(BuildingKey(plant.world(), building_), slot, kSlowPart), at,
                         kBuildingSlowKnot);
    }
    slow_[slot] = static_cast<float>(sum);
  }
}

namespace {

bool AnyIncidents(const IncidentsConfig& cfg) {
  bool any = !cfg.schedule.empty();
  for (const IncidentRate& r : cfg.kinds) any = any || r.rate > 0;
  return any;
}

}  // namespace

PlaceKeys DeviceModel::Place(const Plant& plant) const {
  return PlaceKeysOf(plant.world(), {building_, floor_, room_, site_room_});
}

IncidentEffect DeviceModel::Incidents(const ModelParams& params, const Plant& plant,
                                      UnixMillis t) const {
  if (!AnyIncidents(params.incidents)) return {};
  return IncidentsAt(params.incidents, Place(plant), t);
}

IncidentLabel DeviceModel::Offline(const ModelParams& params, const Plant& plant,
                                   UnixMillis t) const {
  const IncidentsConfig& cfg = params.incidents;
  if (cfg.kinds[static_cast<size_t>(IncidentKind::kNetworkOutage)].rate <= 0 &&
      std::none_of(cfg.schedule.begin(), cfg.schedule.end(), [](const ScheduledIncident& s) {
        return s.kind == IncidentKind::kNetworkOutage;
      })) {
    return {};
  }
  return NetworkOutageAt(cfg, Place(plant), t);
}

void DeviceModel::StepSwitch(const ModelParams& params, Plant& plant, UnixMillis t,
                             double elapsed_s) {
  // The continuous-time chain of sim/switch_chain.h over elapsed_s, its memory per
  // reference interval taken from the plant (the same for every device at t).
  const SwitchNow& now = plant.Switch(params, t);
  const SwitchTransitions next = SwitchTransitionsOver(now.p_on, now.log_memory, elapsed_s);
  const double u = rng_.Uniform();
  switch_on_ = switch_on_ ? u >= next.on_to_off : u < next.off_to_on;
}

void DeviceModel::MaybeStartEpisode(const AnomalyConfig& anomalies, bool switch_was_on,
                                    bool power_off) {
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
    // A current anomaly needs a steady load: the switch on for a while.
    const bool numeric_now = IsNumeric(type) && (type != SensorType::kCurrent ||
                                                 (emitted_on_ && on_samples_ >= kSteadyOnSamples));
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
        ok = type == SensorType::kSwitch && seq_ > 1 && !power_off;
        break;  // visible: not while the power is off
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

double DeviceModel::NormalValue(const ModelParams& params, Plant& plant, SensorType type,
                                const Instant& now) {
  const UnixMillis t = now.t;
  const size_t slot = NumericSlot(type);
  const TypeModel& m = params.model(type);
  double raw = m.mean;
  switch (type) {
    case SensorType::kTemperature:
      raw += m.cycle * plant.Site(SiteValue::kDay, t) +
             m.season * plant.Site(SiteValue::kSummer, t) + now.hvac;
      break;
    case SensorType::kHumidity: {
      // The room's temperature swing (its day cycle and climate), against which relative
      // humidity moves; and the outdoor air.
      const TypeModel& temp = params.model(SensorType::kTemperature);
      const double swing =
          temp.cycle * plant.Site(SiteValue::kDay, t) + temp.shared * now.climate + now.hvac;
      raw += m.cycle * plant.Site(SiteValue::kHumiditySeason, t) + m.coupling * swing +
             m.shared * plant.Site(SiteValue::kHumidityWeather, t);
      break;
    }
    case SensorType::kPressure:
      raw += m.cycle * plant.Site(SiteValue::kFronts, t) + m.per_floor * (floor_ - 1) +
             m.shared * plant.Site(SiteValue::kPressureWeather, t);
      break;
    case SensorType::kCurrent:
      raw += m.cycle * plant.Site(SiteValue::kWeek, t);
      break;
    case SensorType::kSwitch:
      break;
  }
  raw += slow_[slot];
  if (type == SensorType::kTemperature) {
    raw += m.shared * now.climate;
  } else if (m.shared != 0 && !m.shared_by_site) {
    raw += m.shared * SmoothNoise(PartKey(room_key_, slot, kSharedPart), t, m.shared_knot);
  }
  raw += m.own * own_[slot];
  double x = m.fit.input_mean + m.stretch * (raw - m.mean);
  if (type == SensorType::kCurrent) x *= now.inrush;
  return m.fit.range.Apply(x) + m.noise * HashNormal(rng_.Next());
}

double DeviceModel::NumericValue(const ModelParams& params, Plant& plant, SensorType type,
                                 const Instant& now, bool emitted) {
  const size_t slot = NumericSlot(type);
  const TypeModel& m = params.model(type);
  const AnomalyKind anomaly = episode_.sensor == type ? episode_.kind : AnomalyKind::kNone;
  const double normal = NormalValue(params, plant, type, now);
  double value;
  if (anomaly == AnomalyKind::kStuck) {
    value = last_[slot];
  } else if (anomaly == AnomalyKind::kSpike) {
    // In the band and clear of the device's level by spike_gap: uniform between the nearer
    // of the two limits and the range's end (at the end when there is no room left).
    const double u = 1.0 - rng_.Uniform();  // (0, 1]
    if (m.band_below) {
      const double from = std::min(m.threshold, normal - m.spike_gap);
      value = from > m.min ? from - (from - m.min) * u : m.min;
    } else {
      const double from = std::max(m.threshold, normal + m.spike_gap);
      value = from < m.max ? from + (m.max - from) * u : m.max;
    }
    value = Clamp(value, m.min, m.max);
  } else {
    value = normal;
    if (anomaly == AnomalyKind::kDrift) {
      // Towards the bound the sign picks, by up to kDriftSigmas σ, never all the way; a drift
      // with less than σ of room turns round on its first message.
      if (episode_.remaining == episode_.length) {
        const double room = episode_.sign > 0 ? m.max - normal : normal - m.min;
        if (room < m.sigma) episode_.sign = static_cast<int8_t>(-episode_.sign);
      }
      const double room = episode_.sign > 0 ? m.max - normal : normal - m.min;
      const double size = std::min(kDriftSigmas * m.sigma, kDriftRoom * std::max(room, 0.0));
      const uint32_t elapsed = episode_.length - episode_.remaining + 1;  // 1..length
      value += episode_.sign * size * static_cast<double>(elapsed) /
               static_cast<double>(episode_.length);
    }
    value = Clamp(value, m.min, m.max);
  }
  if (type == SensorType::kCurrent && !emitted_on_) value = 0;
  if (anomaly != AnomalyKind::kStuck && emitted) last_[slot] = value;
  return value;
}

}  // namespace iiot
