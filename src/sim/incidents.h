// Incidents: plant-wide failures over a part of the site (a room, a floor, a building, the
// site), as pure functions of (seed, scope, simulated time): every device, thread and shard
// of a run sees the same incidents, and a seed gives the same ones for any --threads.
//
// Scheduled incidents (incidents.schedule) cover their scope from their start for their
// duration. At random, time is cut into slots (IncidentSlot, at a phase of the scope's own);
// in each slot a scope has an incident with probability rate × slot / day, placed and sized
// by a hash of (run, kind, scope, slot). A device thus finds its incident of a kind at t with
// one hash. Pure functions; thread-safe.
//
// Effects (docs/sensors.md, "Incidents"): an HVAC failure moves the room's temperature by
// +0.8..1.6 σ towards a new level (time constant 20 min), humidity follows it; after the
// repair it recovers (15 min) — phase "recovery". A power loss switches every switch off
// and current to 0; on restore, switches that are on come back with an inrush. A network
// outage leaves the readings alone but the devices cannot send them: the worker holds them
// (incidents.network_outage.replay) and sends them late once the network is back, or
// drops them.
#pragma once

#include <cstdint>
#include <string>

#include "config/config.h"
#include "sim/fleet.h"
#include "sim/place_keys.h"

namespace iiot {

enum class IncidentPhase : uint8_t { kNone = 0, kActive, kRecovery };
const char* Name(IncidentPhase p);  // "none", "active", "recovery"

// The incident a message carries.
struct IncidentLabel {
  IncidentPhase phase = IncidentPhase::kNone;  // kNone: no incident
  IncidentKind kind = IncidentKind::kHvacFailure;
  ScopeLevel scope = ScopeLevel::kSite;
  uint64_t id = 0;  // the same for every message of one incident
};

// One incident of a kind over a scope.
struct Incident {
  uint64_t id = 0;
  UnixMillis start = 0;  // active in [start, end)
  UnixMillis end = 0;
  UnixMillis tail_end = 0;  // recovery in [end, tail_end)
};

// Writes an incident's id as 16 lower-case hex digits (how messages carry it); returns the
// end.
char* FormatIncidentId(uint64_t id, char* out);
// The same as a string.
std::string IncidentIdText(uint64_t id);

// IncidentTail, IncidentSlot and MaxIncidentRate (config.h) give the timing.
// The random incident of `kind` over the scope `scope_key` whose slot holds t, if t falls in
// it (active or recovering); id 0 when there is none.
Incident RandomIncident(const IncidentRate& rate, IncidentKind kind, uint64_t scope_key,
                        UnixMillis t);
// The same by slot, for going through time: the index of the scope's slot holding t, and
// the slot's incident (id 0 when it has none).
int64_t IncidentSlotIndex(const IncidentRate& rate, IncidentKind kind, uint64_t scope_key,
                          UnixMillis t);
Incident IncidentInSlot(const IncidentRate& rate, IncidentKind kind, uint64_t scope_key,
                        int64_t slot);

// What incidents do to one device at t.
struct IncidentEffect {
  IncidentLabel label;     // the one the message carries (power loss before HVAC)
  double hvac_sigmas = 0;  // the room's temperature offset, in temperature σ
  bool power_off = false;
  bool offline = false;  // a network outage: the device cannot send
};

// A scheduled incident as it stands; its id from the run's key and what the entry says.
Incident ScheduledAt(const ScheduledIncident& s, uint64_t site_key);

// True when the scheduled incident covers the place.
bool Covers(const ScheduledIncident& s, const Location& where);

// The incident of `kind` holding t at the place (scheduled ones first, the latest start
// winning; then the random one), id 0 when none; *scope: the level it covers.
Incident FindIncident(const IncidentsConfig& cfg, const PlaceKeys& place, IncidentKind kind,
                      UnixMillis t, ScopeLevel* scope);

IncidentEffect IncidentsAt(const IncidentsConfig& cfg, const PlaceKeys& place, UnixMillis t);

// The label of the network outage holding the place at t, phase kNone when none
// (IncidentsAt(...).offline, cheaper).
IncidentLabel NetworkOutageAt(const IncidentsConfig& cfg, const PlaceKeys& place, UnixMillis t);

}  // namespace iiot
