#include "labels/incident_log.h"

#include <algorithm>

#include "sim/incidents.h"
#include "sim/plant.h"

namespace iiot {

IncidentLog::IncidentLog(const Config& cfg, const Fleet& fleet, LabelStream& out)
    : out_(out), world_(PlantWorld(cfg.run.seed)), site_key_(PlaceKeysOf(world_, {}).site) {
  const uint64_t devices = fleet.size();
  const uint64_t per_room = fleet.per_room();
  const uint64_t occupied = std::min(fleet.room_count(), (devices + per_room - 1) / per_room);
  const DeviceRange mine = Fleet::Shard(devices, cfg.run.shard_index, cfg.run.shard_count);
  rooms_per_group_ = {1, cfg.fleet.rooms, uint64_t{cfg.fleet.rooms} * cfg.fleet.floors,
                      fleet.room_count()};
  for (size_t level = 0; level < scopes_.size(); ++level) {
    const uint64_t rooms = rooms_per_group_[level];
    bool first = true;
    for (uint64_t g = 0; g * rooms < occupied; ++g) {
      const uint64_t first_device = g * rooms * per_room + 1;
      if (first_device < mine.first || first_device >= mine.last) continue;
      if (first) first_group_[level] = g;
      first = false;
      Scope scope;
      scope.level = static_cast<ScopeLevel>(level);
      scope.keys = PlaceKeysOf(world_, fleet.LocationOf(first_device));
      char name[Fleet::kMaxIdLength];
      scope.name.assign(name, fleet.FormatScope(first_device, scope.level, name));
      scope.devices = std::min(devices, (g + 1) * rooms * per_room) - (first_device - 1);
      scopes_[level].push_back(std::move(scope));
    }
  }
}

const IncidentLog::Scope* IncidentLog::Find(ScopeLevel level, const Location& where) const {
  // Numbers a wider scope leaves at 0 count as the first.
  const auto index = [](uint32_t n) { return n == 0 ? uint64_t{0} : uint64_t{n} - 1; };
  const uint64_t floors = rooms_per_group_[2] / rooms_per_group_[1];
  const uint64_t room =
      (index(where.building) * floors + index(where.floor)) * rooms_per_group_[1] +
      index(where.room);
  const auto l = static_cast<size_t>(level);
  const uint64_t group = room / rooms_per_group_[l];
  if (group < first_group_[l] || group - first_group_[l] >= scopes_[l].size()) return nullptr;
  return &scopes_[l][group - first_group_[l]];
}

void IncidentLog::Visit(IncidentKind kind, const Scope& scope, const Incident& in, UnixMillis now,
                        std::vector<Event>* events) {
  if (in.id == 0 || in.start > now || in.end <= last_) return;
  IncidentEpisode e{in.id,         kind,     scope.level, scope.name,
                    scope.devices, in.start, in.end,      in.tail_end};
  if (open_.insert(in.id).second) events->push_back({in.start, LabelEvent::kStart, e});
  if (in.end <= now) {
    open_.erase(in.id);
    events->push_back({in.end, LabelEvent::kEnd, std::move(e)});
  }
}

void IncidentLog::Advance(const IncidentsConfig& incidents, UnixMillis now) {
  if (!started_) {
    last_ = now - 1;  // the first step: what holds `now`, and what starts at it
    started_ = true;
  }
  if (now <= last_) return;
  std::vector<Event> events;
  for (int k = 0; k < kIncidentKindCount; ++k) {
    const auto kind = static_cast<IncidentKind>(k);
    const IncidentRate& rate = incidents.kinds[static_cast<size_t>(k)];
    if (rate.rate <= 0) continue;
    // An incident lies within its slot, so the slots from last_'s to now's hold every one
    // that can start or end in between.
    for (const Scope& scope : scopes_[static_cast<size_t>(rate.scope)]) {
      const uint64_t key = scope.keys.Of(rate.scope);
      const int64_t from = IncidentSlotIndex(rate, kind, key, last_);
      const int64_t to = IncidentSlotIndex(rate, kind, key, now);
      for (int64_t slot = from; slot <= to; ++slot) {
        Visit(kind, scope, IncidentInSlot(rate, kind, key, slot), now, &events);
      }
    }
  }
  for (const ScheduledIncident& s : incidents.schedule) {
    const Scope* scope = Find(s.scope, {s.building, s.floor, s.room, 0});
    if (scope != nullptr) Visit(s.kind, *scope, ScheduledAt(s, site_key_), now, &events);
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const Event& a, const Event& b) { return a.at < b.at; });
  for (const Event& e : events) {
    char id[16];
    out_.Write({id, static_cast<size_t>(FormatIncidentId(e.episode.id, id) - id)},
               IncidentRecord(e.event, e.episode));
    ++written_;
  }
  last_ = now;
}

}  // namespace iiot
