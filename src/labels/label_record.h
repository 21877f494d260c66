// The records of the labels stream (docs/sensors.md, "Labels"): one JSON object at the
// start and one at the end of every anomaly episode and every incident, so a detector can
// be scored per episode. Plain data and pure formatting; thread-safe.
//
// Example:
//   AnomalyEpisode e{42, AnomalyKind::kSpike, SensorType::kPressure, 7, t, 7, t};
//   std::string line = AnomalyRecord(LabelEvent::kEnd, e, fleet);
//   // {"event":"end","episode":"anomaly","id":"…","kind":"spike","device_id":"plant1-…",
//   //  "sensor":"pressure","start_ts":"…","end_ts":"…","start_seq":7,"end_seq":7}
#pragma once

#include <cstdint>
#include <string>

#include "config/config.h"
#include "sim/fleet.h"
#include "sim/reading.h"

namespace iiot {

enum class LabelEvent : uint8_t { kStart, kEnd };

// One anomaly episode of one device: its first message, and (once it ended) its last.
struct AnomalyEpisode {
  uint64_t device = 0;
  AnomalyKind kind = AnomalyKind::kNone;
  SensorType sensor = SensorType::kTemperature;
  uint64_t start_seq = 0;
  UnixMillis start_ts = 0;
  uint64_t end_seq = 0;  // the last message so far
  UnixMillis end_ts = 0;
};

// One incident over one scope.
struct IncidentEpisode {
  uint64_t id = 0;
  IncidentKind kind = IncidentKind::kHvacFailure;
  ScopeLevel level = ScopeLevel::kSite;
  std::string scope;     // "b01-f02", as messages carry it
  uint64_t devices = 0;  // in the scope, over the whole fleet
  UnixMillis start = 0;
  UnixMillis end = 0;       // when it is over (an HVAC failure's repair)
  UnixMillis tail_end = 0;  // when its effects are gone (after an HVAC failure's recovery)
};

// An anomaly episode's id: 16 hex digits from the device and its first seq.
uint64_t AnomalyEpisodeId(uint64_t device, uint64_t start_seq);

// The record of an event, one JSON object without a newline. The start record of an anomaly
// has "end_ts" and "end_seq" null; an incident's start record has its planned end.
std::string AnomalyRecord(LabelEvent event, const AnomalyEpisode& e, const Fleet& fleet);
std::string IncidentRecord(LabelEvent event, const IncidentEpisode& e);

}  // namespace iiot
