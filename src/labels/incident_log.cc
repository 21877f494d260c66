#include "labels/incident_log.h"

#include <algorithm>

#include "sim/incidents.h"

namespace iiot {

IncidentLog::IncidentLog(const Config& cfg, const Fleet& fleet, LabelStream& out)
    : out_(out), scopes_(fleet, cfg.fleet, cfg.run.seed, fleet.Simulated(cfg.run)) {}

void IncidentLog::Visit(IncidentKind kind, const FleetScope& scope, const Incident& in,
                        UnixMillis now, std::vector<Event>* events) {
  if (in.id == 0 || !scope.first_is_ours || in.start > now) return;
  const auto open = open_.find(in.id);
  // Over before this step and never started: nothing to say. An open one whose end moved
  // back (DELETE /api/v1/incidents) still gets its end.
  if (in.end <= last_ && open == open_.end()) return;
  seen_.insert(in.id);
  IncidentEpisode e{in.id,         kind,     scope.level, scope.name,
                    scope.devices, in.start, in.end,      in.tail_end};
  if (open == open_.end()) {
    events->push_back({in.start, LabelEvent::kStart, e});
    open_.emplace(in.id, e);
  }
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
    for (const FleetScope& scope : scopes_.Of(rate.scope)) {
      if (!scope.first_is_ours) continue;
      const uint64_t key = scope.keys.Of(rate.scope);
      const int64_t from = IncidentSlotIndex(rate, kind, key, last_);
      const int64_t to = IncidentSlotIndex(rate, kind, key, now);
      for (int64_t slot = from; slot <= to; ++slot) {
        Visit(kind, scope, IncidentInSlot(rate, kind, key, slot), now, &events);
      }
    }
  }
  for (const ScheduledIncident& s : incidents.schedule) {
    const FleetScope* scope = scopes_.Find(s.scope, {s.building, s.floor, s.room, 0});
    if (scope != nullptr) Visit(s.kind, *scope, ScheduledAt(s, scopes_.site_key()), now, &events);
  }
  // Open ones no longer there (a reload removed or changed them) end now.
  for (auto it = open_.begin(); it != open_.end();) {
    if (seen_.count(it->first) != 0) {
      ++it;
      continue;
    }
    IncidentEpisode e = it->second;
    e.end = std::min(e.end, now);
    e.tail_end = std::min(e.tail_end, now);
    events.push_back({e.end, LabelEvent::kEnd, std::move(e)});
    it = open_.erase(it);
  }
  seen_.clear();
  std::stable_sort(events.begin(), events.end(),
                   [](const Event& a, const Event& b) { return a.at < b.at; });
  for (const Event& e : events) {
    out_.Write(IncidentIdText(e.episode.id), IncidentRecord(e.event, e.episode));
    ++written_;
  }
  last_ = now;
}

}  // namespace iiot
