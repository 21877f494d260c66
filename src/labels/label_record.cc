#include "labels/label_record.h"

#include <nlohmann/json.hpp>

#include "base/iso_time.h"
#include "sim/incidents.h"
#include "sim/rng.h"

namespace iiot {

namespace {

using Json = nlohmann::ordered_json;

const char* EventName(LabelEvent e) { return e == LabelEvent::kStart ? "start" : "end"; }

}  // namespace

uint64_t AnomalyEpisodeId(uint64_t device, uint64_t start_seq) {
  return Mix64(Mix64(device ^ 0x414e4f4dULL) ^ start_seq) | 1;  // "ANOM"
}

std::string AnomalyRecord(LabelEvent event, const AnomalyEpisode& e, const Fleet& fleet) {
  const bool end = event == LabelEvent::kEnd;
  Json j;
  j["event"] = EventName(event);
  j["episode"] = "anomaly";
  j["id"] = IncidentIdText(AnomalyEpisodeId(e.device, e.start_seq));
  j["kind"] = Name(e.kind);
  j["device_id"] = fleet.Id(e.device);
  j["sensor"] = Name(e.sensor);
  j["start_ts"] = IsoMillisText(e.start_ts);
  j["end_ts"] = end ? Json(IsoMillisText(e.end_ts)) : Json();
  j["start_seq"] = e.start_seq;
  j["end_seq"] = end ? Json(e.end_seq) : Json();
  return j.dump();
}

std::string IncidentRecord(LabelEvent event, const IncidentEpisode& e) {
  Json j;
  j["event"] = EventName(event);
  j["episode"] = "incident";
  j["id"] = IncidentIdText(e.id);
  j["kind"] = Name(e.kind);
  j["scope"] = e.scope;
  j["scope_level"] = Name(e.level);
  j["devices"] = e.devices;
  j["start_ts"] = IsoMillisText(e.start);
  j["end_ts"] = IsoMillisText(e.end);
  j["recovered_ts"] = IsoMillisText(e.tail_end);
  return j.dump();
}

}  // namespace iiot
