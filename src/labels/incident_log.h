// IncidentLog: the incident half of the labels stream. Goes through the run's time in steps
// (Advance) and writes a start record for every incident that begins, and an end record for
// every one that ends, over the scopes this instance speaks for: those whose first device
// is in its shard, so shards that split a building write its incidents once between them.
// Random incidents are found slot by slot (sim/incidents.h), scheduled ones from the
// schedule as it stands (hot reload and /api/v1/incidents change it).
// Not thread-safe: one thread advances it (the run's main loop).
//
// Example:
//   IncidentLog log(cfg, fleet, labels);
//   log.Advance(cfg.incidents, now);   // every 100 ms or so, with the time the run reached
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "config/config.h"
#include "labels/label_record.h"
#include "labels/label_stream.h"
#include "sim/fleet.h"
#include "sim/incidents.h"
#include "sim/scope_index.h"

namespace iiot {

class IncidentLog {
 public:
  // cfg: the run's (fleet, seed, shard); fleet and out must outlive the log.
  IncidentLog(const Config& cfg, const Fleet& fleet, LabelStream& out);

  // Writes the records of incidents that started or ended since the previous call, up to
  // and including `now` (the first call: those under way at `now` too), in time order. An
  // incident started and no longer in `incidents` (a reload removed or changed it) ends at
  // `now`.
  void Advance(const IncidentsConfig& incidents, UnixMillis now);

  uint64_t written() const { return written_; }

 private:
  struct Event {
    UnixMillis at = 0;
    LabelEvent event = LabelEvent::kStart;
    IncidentEpisode episode;
  };

  // The incident `in` over `scope`, seen in (last_, now]: its events into *events.
  void Visit(IncidentKind kind, const FleetScope& scope, const Incident& in, UnixMillis now,
             std::vector<Event>* events);

  LabelStream& out_;
  const ScopeIndex scopes_;  // it speaks for those whose first device is its
  bool started_ = false;
  UnixMillis last_ = 0;
  std::map<uint64_t, IncidentEpisode> open_;  // started and not yet ended, by id
  std::set<uint64_t> seen_;                   // in this step
  uint64_t written_ = 0;
};

}  // namespace iiot
