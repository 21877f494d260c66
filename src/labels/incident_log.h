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

#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "config/config.h"
#include "labels/label_record.h"
#include "labels/label_stream.h"
#include "sim/fleet.h"
#include "sim/incidents.h"
#include "sim/place_keys.h"

namespace iiot {

class IncidentLog {
 public:
  // cfg: the run's (fleet, seed, shard); fleet and out must outlive the log.
  IncidentLog(const Config& cfg, const Fleet& fleet, LabelStream& out);

  // Writes the records of incidents that started or ended since the previous call, up to
  // and including `now` (the first call: those under way at `now` too), in time order.
  void Advance(const IncidentsConfig& incidents, UnixMillis now);

  uint64_t written() const { return written_; }

 private:
  struct Scope {
    ScopeLevel level = ScopeLevel::kSite;
    PlaceKeys keys;
    std::string name;      // "b01-f02"
    uint64_t devices = 0;  // over the whole fleet
  };
  struct Event {
    UnixMillis at = 0;
    LabelEvent event = LabelEvent::kStart;
    IncidentEpisode episode;
  };

  // The incident `in` over `scope`, seen in (last_, now]: its events into *events.
  void Visit(IncidentKind kind, const Scope& scope, const Incident& in, UnixMillis now,
             std::vector<Event>* events);
  const Scope* Find(ScopeLevel level, const Location& where) const;

  LabelStream& out_;
  uint64_t world_;
  uint64_t site_key_;
  // By ScopeLevel: the scopes this instance speaks for, groups first_group_[level] on (a
  // group: a scope's index among those of its level, in device order).
  std::array<std::vector<Scope>, 4> scopes_;
  std::array<uint64_t, 4> first_group_{};
  std::array<uint64_t, 4> rooms_per_group_{};
  bool started_ = false;
  UnixMillis last_ = 0;
  std::set<uint64_t> open_;  // ids of incidents started and not yet ended
  uint64_t written_ = 0;
};

}  // namespace iiot
