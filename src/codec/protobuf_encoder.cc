#include "codec/protobuf_encoder.h"

#include <algorithm>
#include <cstdint>

#include "codec/rounding.h"

namespace iiot {

ProtobufEncoder::ProtobufEncoder(const Fleet& fleet)
    : fleet_(fleet),
      spare_anomaly_(std::make_unique<v1::Anomaly>()),
      spare_incident_(std::make_unique<v1::Incident>()) {
  msg_.mutable_location()->set_site(fleet.site());
}

std::string_view ProtobufEncoder::Key(const Reading& r) {
  return {key_.data(), fleet_.FormatId(r.device, key_.data())};
}

// Strings are written with assign(), which reuses the field's capacity (the generated
// set_x(const char*, size_t) builds a temporary std::string), and only when they change.
std::string_view ProtobufEncoder::Encode(const Reading& r) {
  char id[Fleet::kMaxIdLength];
  msg_.mutable_device_id()->assign(id, fleet_.FormatId(r.device, id));
  msg_.set_seq(r.seq);
  msg_.set_ts_ms(r.ts);
  const std::string& profile = fleet_.ProfileOf(r.device).name;
  if (msg_.profile() != profile) msg_.mutable_profile()->assign(profile);

  const Location location = fleet_.LocationOf(r.device);
  v1::Location* loc = msg_.mutable_location();
  const std::string_view building = fleet_.BuildingName(location.building);
  const std::string_view room = fleet_.RoomName(location.room);
  if (loc->building() != building) loc->mutable_building()->assign(building);
  loc->set_floor(static_cast<int32_t>(location.floor));
  if (loc->room() != room) loc->mutable_room()->assign(room);

  // The readings' elements are overwritten in place; the surplus is removed, which keeps
  // the objects for reuse.
  auto* readings = msg_.mutable_readings();
  int used = 0;
  const size_t count = std::min<size_t>(r.sensor_count, r.sensors.size());
  for (size_t i = 0; i < count; ++i) {
    const SensorValue& s = r.sensors[i];
    if (!s.present || static_cast<int>(s.type) >= kSensorTypeCount) continue;
    v1::SensorReading* out = used < readings->size() ? readings->Mutable(used) : readings->Add();
    ++used;
    const std::string_view name = Name(s.type);
    if (out->sensor() != name) out->mutable_sensor()->assign(name);
    const std::string_view unit = Unit(s.type);
    if (out->unit() != unit) out->mutable_unit()->assign(unit);
    if (s.type == SensorType::kSwitch) {
      out->set_state(s.on);
    } else {
      out->set_number(RoundToCents(s.value));
    }
  }
  while (readings->size() > used) readings->RemoveLast();
  const std::string_view quality = r.Quality();
  if (msg_.quality() != quality) msg_.mutable_quality()->assign(quality);

  const bool anomaly = r.anomaly != AnomalyKind::kNone &&
                       static_cast<int>(r.anomaly) < kAnomalyKindCount &&
                       static_cast<int>(r.anomaly_sensor) < kSensorTypeCount;
  if (anomaly) {
    if (!msg_.has_anomaly()) msg_.unsafe_arena_set_allocated_anomaly(spare_anomaly_.release());
    v1::Anomaly* a = msg_.mutable_anomaly();
    a->mutable_kind()->assign(Name(r.anomaly));
    a->mutable_sensor()->assign(Name(r.anomaly_sensor));
  } else if (msg_.has_anomaly()) {
    spare_anomaly_.reset(msg_.unsafe_arena_release_anomaly());
  }
  if (r.incident.phase != IncidentPhase::kNone) {
    if (!msg_.has_incident()) msg_.unsafe_arena_set_allocated_incident(spare_incident_.release());
    v1::Incident* in = msg_.mutable_incident();
    char text[Fleet::kMaxIdLength];
    in->mutable_id()->assign(text,
                             static_cast<size_t>(FormatIncidentId(r.incident.id, text) - text));
    in->mutable_kind()->assign(Name(r.incident.kind));
    in->mutable_scope()->assign(text, fleet_.FormatScope(r.device, r.incident.scope, text));
    in->mutable_phase()->assign(Name(r.incident.phase));
  } else if (msg_.has_incident()) {
    spare_incident_.reset(msg_.unsafe_arena_release_incident());
  }

  const size_t size = msg_.ByteSizeLong();
  out_.resize(size);
  msg_.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t*>(out_.data()));
  return {out_.data(), size};
}

}  // namespace iiot
