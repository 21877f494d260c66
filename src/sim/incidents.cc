#include "sim/incidents.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "sim/rng.h"

namespace iiot {

namespace {

constexpr int64_t kDayMillis = 86'400'000;
constexpr double kHvacFailTauMillis = 20 * 60'000.0;
// The recovery's time constant: its tail (IncidentTail) is five of them.
const double kHvacRecoverTauMillis =
    static_cast<double>(IncidentTail(IncidentKind::kHvacFailure).count()) / 5;
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

// Where a scope's slots start: each at a phase of its own, so no two scopes share slot
// boundaries.
int64_t SlotPhase(uint64_t scope_key, int64_t slot_length) {
  return static_cast<int64_t>(ToUnit(Mix64(scope_key ^ 0x5048415345ULL)) *
                              static_cast<double>(slot_length));
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

int64_t IncidentSlotIndex(const IncidentRate& rate, IncidentKind kind, uint64_t scope_key,
                          UnixMillis t) {
  const int64_t slot_length = IncidentSlot(rate, kind);
  if (slot_length <= 0) return 0;
  const int64_t phase = SlotPhase(scope_key, slot_length);
  const int64_t since = t - phase;
  int64_t slot = since / slot_length;
  if (slot * slot_length > since) --slot;
  return slot;
}

Incident IncidentInSlot(const IncidentRate& rate, IncidentKind kind, uint64_t scope_key,
                        int64_t slot) {
  const int64_t slot_length = IncidentSlot(rate, kind);
  if (rate.rate <= 0 || slot_length <= 0) return {};
  const int64_t tail = IncidentTail(kind).count();
  const int64_t longest = std::max(rate.max_duration.count(), rate.min_duration.count());
  const int64_t phase = SlotPhase(scope_key, slot_length);
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
  in.id = Mix64(h2 ^ h3) | 1;  // never 0; not tied to the draw that decided it exists
  in.start = phase + slot * slot_length + offset;
  in.end = in.start + duration;
  in.tail_end = in.end + tail;
  return in;
}

std::string IncidentIdText(uint64_t id) {
  char buf[16];
  return {buf, FormatIncidentId(id, buf)};
}

Incident RandomIncident(const IncidentRate& rate, IncidentKind kind, uint64_t scope_key,
                        UnixMillis t) {
  if (rate.rate <= 0) return {};
  const Incident in =
      IncidentInSlot(rate, kind, scope_key, IncidentSlotIndex(rate, kind, scope_key, t));
  if (in.id == 0 || t < in.start || t >= in.tail_end) return {};
  return in;
}

Incident ScheduledAt(const ScheduledIncident& s, uint64_t site_key) {
  // The id follows what the entry says, not where it stands in the list: inserting an
  // entry in a running schedule leaves the others' ids alone.
  uint64_t h = Mix64(site_key ^ 0x5343484544ULL);  // "SCHED"
  for (uint64_t part :
       {uint64_t{static_cast<uint8_t>(s.kind)}, uint64_t{static_cast<uint8_t>(s.scope)},
        uint64_t{s.building}, uint64_t{s.floor}, uint64_t{s.room}, static_cast<uint64_t>(s.start),
        static_cast<uint64_t>(s.duration.count())}) {
    h = Mix64(h ^ part);
  }
  Incident in;
  in.id = s.id != 0 ? s.id : h | 1;
  in.start = s.start;
  in.end = s.start + s.duration.count();
  in.tail_end = in.end + IncidentTail(s.kind).count();
  return in;
}

bool Covers(const ScheduledIncident& s, const Location& where) {
  switch (s.scope) {
    case ScopeLevel::kSite:
      return true;
    case ScopeLevel::kBuilding:
      return s.building == where.building;
    case ScopeLevel::kFloor:
      return s.building == where.building && s.floor == where.floor;
    case ScopeLevel::kRoom:
      return s.building == where.building && s.floor == where.floor && s.room == where.room;
  }
  return false;
}

Incident FindIncident(const IncidentsConfig& cfg, const PlaceKeys& place, IncidentKind kind,
                      UnixMillis t, ScopeLevel* scope) {
  // Of the scheduled ones holding t, the latest to start (a new failure shows over an
  // older one's recovery); else the random one.
  Incident found;
  for (const ScheduledIncident& s : cfg.schedule) {
    if (s.kind != kind || t < s.start || !Covers(s, place.where)) continue;
    if (found.id != 0 && found.start >= s.start) continue;
    const Incident in = ScheduledAt(s, place.site);
    if (t >= in.tail_end) continue;
    found = in;
    *scope = s.scope;
  }
  const IncidentRate& rate = cfg.kinds[static_cast<size_t>(kind)];
  if (found.id != 0 || rate.rate <= 0) return found;
  *scope = rate.scope;
  return RandomIncident(rate, kind, place.Of(rate.scope), t);
}

IncidentLabel NetworkOutageAt(const IncidentsConfig& cfg, const PlaceKeys& place, UnixMillis t) {
  ScopeLevel scope{};
  const Incident in = FindIncident(cfg, place, IncidentKind::kNetworkOutage, t, &scope);
  if (in.id == 0) return {};
  return {IncidentPhase::kActive, IncidentKind::kNetworkOutage, scope, in.id};
}

IncidentEffect IncidentsAt(const IncidentsConfig& cfg, const PlaceKeys& place, UnixMillis t) {
  IncidentEffect effect;
  // The label shows the last found: HVAC, then power loss, then a network outage (the one
  // that changes when the message arrives).
  ScopeLevel scope{};
  const Incident hvac = FindIncident(cfg, place, IncidentKind::kHvacFailure, t, &scope);
  if (hvac.id != 0) {
    effect.hvac_sigmas = HvacSigmas(hvac, t);
    effect.label = {t < hvac.end ? IncidentPhase::kActive : IncidentPhase::kRecovery,
                    IncidentKind::kHvacFailure, scope, hvac.id};
  }
  const Incident power = FindIncident(cfg, place, IncidentKind::kPowerLoss, t, &scope);
  if (power.id != 0) {
    effect.power_off = true;
    effect.label = {IncidentPhase::kActive, IncidentKind::kPowerLoss, scope, power.id};
  }
  const Incident network = FindIncident(cfg, place, IncidentKind::kNetworkOutage, t, &scope);
  if (network.id != 0) {
    effect.offline = true;
    effect.label = {IncidentPhase::kActive, IncidentKind::kNetworkOutage, scope, network.id};
  }
  return effect;
}

}  // namespace iiot
