#include "codec/protobuf_encoder.h"

#include <algorithm>
#include <cstdint>

#include "codec/rounding.h"

namespace iiot {

ProtobufEncoder::ProtobufEncoder(const Fleet& fleet)
    : fleet_(fleet), spare_anomaly_(std::make_unique<v1::Anomaly>()) {
  msg_.mutable_location()->set_site(fleet.site());
}

std::string_view ProtobufEncoder::Key(const Reading& r) {
  return {key_.data(), fleet_.FormatId(r.device, key_.data())};
}

std::string_view ProtobufEncoder::Encode(const Reading& r) {
  // The generated set_x(const char*, size_t) builds a temporary std::string; assign()
  // reuses the field's capacity instead.
  char id[Fleet::kMaxIdLength];
  msg_.mutable_device_id()->assign(id, fleet_.FormatId(r.device, id));
  msg_.set_seq(r.seq);
  msg_.set_ts_ms(r.ts);
  msg_.mutable_profile()->assign(fleet_.ProfileOf(r.device).name);

  const Location location = fleet_.LocationOf(r.device);
  v1::Location* loc = msg_.mutable_location();
  const std::string_view building = fleet_.BuildingName(location.building);
  const std::string_view room = fleet_.RoomName(location.room);
  loc->mutable_building()->assign(building.data(), building.size());
  loc->set_floor(static_cast<int32_t>(location.floor));
  loc->mutable_room()->assign(room.data(), room.size());

  auto* readings = msg_.mutable_readings();
  readings->Clear();  // keeps the element objects; Add() below reuses them
  const size_t count = std::min<size_t>(r.sensor_count, r.sensors.size());
  for (size_t i = 0; i < count; ++i) {
    const SensorValue& s = r.sensors[i];
    if (!s.present || static_cast<int>(s.type) >= kSensorTypeCount) continue;
    v1::SensorReading* out = readings->Add();
    out->mutable_sensor()->assign(Name(s.type));
    if (s.type == SensorType::kSwitch) {
      out->set_state(s.on);
    } else {
      out->set_number(RoundToCents(s.value));
      out->mutable_unit()->assign(Unit(s.type));
    }
  }
  msg_.mutable_quality()->assign(r.Quality());

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

  const size_t size = msg_.ByteSizeLong();
  out_.resize(size);
  msg_.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t*>(out_.data()));
  return {out_.data(), size};
}

}  // namespace iiot
