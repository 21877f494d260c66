#include "sim/incidents.h"

#include <algorithm>
#include <cmath>

#include "sim/rng.h"

namespace iiot {

namespace {

constexpr int64_t kDayMillis = 86'400'000;
constexpr double kHvacFailTauMillis = 20 * 60'000.0;
constexpr double kHvacRecoverTauMillis = 15 * 60'000.0;
constexpr double kHvacMinSigmas = 0.8;
constexpr double kHvacMaxSigmas = 1.6;

// The HVAC failure's offset at t, in σ: towards `size` while active, back after.
double HvacSigmas(const Incident& in, UnixMillis t) {
  const double size =
      kHvacMinSigmas + (kHvacMaxSigmas - kHvacMinSigmas) * ToUnit(Mix64(in.id ^ 0x48564143ULL));
  const auto approach = [&](UnixMillis until) {
    return size * (1.0 - std::exp(-static_cast<double>(until - in.start) / kHvacFailTauMillis));
  };
  if (t < in.end) return approach(t);
  return approach(in.end) * std::exp(-static_cast<double>(t - in.end) / kHvacRecoverTauMillis);
}

}  // namespace

const char* Name(IncidentPhase p) {
  switch (p) {
    case IncidentPhase::kNone:
      return "none";
    case IncidentPhase::kActive:
      return "active";
    case IncidentPhase::kRecovery:
      return "recovery";
  }
  return "?";
}

char* FormatIncidentId(uint64_t id, char* out) {
  for (int i = 15; i >= 0; --i) {
    out[i] = "0123456789abcdef"[id & 0xf];
    id >>= 4;
  }
  return out + 16;
}

uint64_t PlaceKeys::Of(ScopeLevel level) const {
  switch (level) {
    case ScopeLevel::kRoom:
      return room;
    case ScopeLevel::kFloor:
      return floor;
    case ScopeLevel::kBuilding:
      return building;
    case ScopeLevel::kSite:
      return site;
  }
  return site;
}

Millis IncidentTail(IncidentKind kind) {
  return kind == IncidentKind::kHvacFailure
             ? Millis{static_cast<int64_t>(5 * kHvacRecoverTauMillis)}
             : Millis{0};
}

Incident RandomIncident(const IncidentRate& rate, IncidentKind kind, uint64_t scope_key,
                        UnixMillis t) {
  if (rate.rate <= 0) return {};
  const int64_t tail = IncidentTail(kind).count();
  const int64_t longest = std::max(rate.max_duration.count(), rate.min_duration.count());
  const int64_t slot_length = longest + tail;
  int64_t slot = t / slot_length;
  if (slot * slot_length > t) --slot;
  const uint64_t h =
      Mix64(scope_key ^ Mix64((static_cast<uint64_t>(kind) + 1) * 0x9e3779b97f4a7c15ULL +
                              static_cast<uint64_t>(slot)));
  const double p = std::min(1.0, rate.rate * static_cast<double>(slot_length) / kDayMillis);
  if (ToUnit(h) >= p) return {};
  const uint64_t h2 = Mix64(h), h3 = Mix64(h2);
  const int64_t shortest = std::min(rate.min_duration.count(), longest);
  const auto duration =
      shortest + static_cast<int64_t>(ToUnit(h2) * static_cast<double>(longest - shortest));
  const auto offset =
      static_cast<int64_t>(ToUnit(h3) * static_cast<double>(slot_length - duration - tail));
  Incident in;
  in.id = h | 1;  // never 0
  in.start = slot * slot_length + offset;
  in.end = in.start + duration;
  in.tail_end = in.end + tail;
  if (t < in.start || t >= in.tail_end) return {};
  return in;
}

IncidentEffect IncidentsAt(const IncidentsConfig& cfg, const PlaceKeys& place, UnixMillis t) {
  IncidentEffect effect;
  const IncidentRate& hvac = cfg.kinds[static_cast<size_t>(IncidentKind::kHvacFailure)];
  if (hvac.rate > 0) {
    const Incident in = RandomIncident(hvac, IncidentKind::kHvacFailure, place.Of(hvac.scope), t);
    if (in.id != 0) {
      effect.hvac_sigmas = HvacSigmas(in, t);
      effect.label = {t < in.end ? IncidentPhase::kActive : IncidentPhase::kRecovery,
                      IncidentKind::kHvacFailure, hvac.scope, in.id};
    }
  }
  const IncidentRate& power = cfg.kinds[static_cast<size_t>(IncidentKind::kPowerLoss)];
  if (power.rate > 0) {
    const Incident in = RandomIncident(power, IncidentKind::kPowerLoss, place.Of(power.scope), t);
    if (in.id != 0) {
      effect.power_off = true;
      effect.label = {IncidentPhase::kActive, IncidentKind::kPowerLoss, power.scope, in.id};
    }
  }
  return effect;
}

}  // namespace iiot
