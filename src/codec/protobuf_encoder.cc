#include "codec/protobuf_encoder.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>

#include "codec/rounding.h"
#include "sim/incidents.h"

namespace iiot {

namespace {

// Wire types (protobuf encoding).
constexpr uint8_t kVarint = 0;
constexpr uint8_t kFixed64 = 1;
constexpr uint8_t kLengthDelimited = 2;

size_t VarintSize(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// Every field number here is below 16: a tag is one byte.
constexpr size_t kTagSize = 1;

// Size of a string field: nothing when empty (the proto3 default).
size_t StringSize(std::string_view s) {
  return s.empty() ? 0 : kTagSize + VarintSize(s.size()) + s.size();
}

// Size of a nested message field of `body` bytes: written even when empty (it is set).
size_t NestedSize(size_t body) { return kTagSize + VarintSize(body) + body; }

// A negative int32 is sign-extended to ten bytes, as protobuf does.
uint64_t Int32Bits(int32_t v) { return static_cast<uint64_t>(static_cast<int64_t>(v)); }

// Writes into a buffer sized beforehand.
class Writer {
 public:
  explicit Writer(char* at) : at_(at) {}
  char* at() const { return at_; }

  void Tag(uint32_t field, uint8_t wire_type) {
    *at_++ = static_cast<char>(field << 3 | wire_type);
  }
  void Varint(uint64_t v) {
    while (v >= 0x80) {
      *at_++ = static_cast<char>((v & 0x7f) | 0x80);
      v >>= 7;
    }
    *at_++ = static_cast<char>(v);
  }
  void VarintField(uint32_t field, uint64_t v) {
    if (v == 0) return;
    Tag(field, kVarint);
    Varint(v);
  }
  void String(uint32_t field, std::string_view s) {
    if (s.empty()) return;
    Tag(field, kLengthDelimited);
    Varint(s.size());
    std::memcpy(at_, s.data(), s.size());
    at_ += s.size();
  }
  void Nested(uint32_t field, size_t body) {
    Tag(field, kLengthDelimited);
    Varint(body);
  }
  void Skip(size_t n) { at_ += n; }

 private:
  char* at_;
};

static_assert(std::endian::native == std::endian::little, "fixed64 is written as in memory");

}  // namespace

ProtobufEncoder::ProtobufEncoder(const Fleet& fleet) : Encoder(fleet) {
  out_.reserve(1024);
  for (size_t t = 0; t < sensor_names_.size(); ++t) {
    sensor_names_[t] = Name(static_cast<SensorType>(t));
    units_[t] = Unit(static_cast<SensorType>(t));
  }
  for (size_t k = 0; k < anomaly_names_.size(); ++k) {
    anomaly_names_[k] = Name(static_cast<AnomalyKind>(k));
  }
  for (size_t k = 0; k < incident_kinds_.size(); ++k) {
    incident_kinds_[k] = Name(static_cast<IncidentKind>(k));
  }
  for (size_t p = 0; p < incident_phases_.size(); ++p) {
    incident_phases_[p] = Name(static_cast<IncidentPhase>(p));
  }
  for (size_t t = 0; t < reading_fields_.size(); ++t) {
    const bool is_switch = static_cast<SensorType>(t) == SensorType::kSwitch;
    const size_t body =
        StringSize(sensor_names_[t]) + kTagSize + (is_switch ? 1 : 8) + StringSize(units_[t]);
    std::array<char, 2 * kPieceBytes> field{};
    Writer w(field.data());
    w.Nested(6, body);
    w.String(1, sensor_names_[t]);
    if (is_switch) {
      w.Tag(3, kVarint);  // a oneof member is written even when false
      reading_fields_[t].value_at = static_cast<size_t>(w.at() - field.data());
      w.Varint(0);
    } else {
      w.Tag(2, kFixed64);  // likewise even when 0
      reading_fields_[t].value_at = static_cast<size_t>(w.at() - field.data());
      w.Skip(8);
    }
    w.String(4, units_[t]);
    reading_fields_[t].piece =
        MakePiece({field.data(), static_cast<size_t>(w.at() - field.data())});
  }
}

std::string_view ProtobufEncoder::Encode(const Reading& r) {
  const std::string_view id = DeviceId(r.device);
  const std::string_view profile = fleet_.ProfileOf(r.device).name;
  const Location location = fleet_.LocationOf(r.device);
  const std::string_view site = fleet_.site();
  const std::string_view building = fleet_.BuildingName(location.building);
  const std::string_view room = fleet_.RoomName(location.room);
  const auto floor = Int32Bits(static_cast<int32_t>(location.floor));
  const std::string_view quality = r.Quality();

  // Sizes first: each nested message's length comes before it.
  const size_t location_size = StringSize(site) + StringSize(building) +
                               (floor == 0 ? 0 : kTagSize + VarintSize(floor)) + StringSize(room);
  const size_t count = std::min<size_t>(r.sensor_count, r.sensors.size());
  size_t readings_size = 0;
  for (size_t i = 0; i < count; ++i) {
    const SensorValue& s = r.sensors[i];
    if (!s.present || static_cast<int>(s.type) >= kSensorTypeCount) continue;
    readings_size += reading_fields_[static_cast<size_t>(s.type)].piece.size;
  }
  const bool anomaly = r.anomaly != AnomalyKind::kNone &&
                       static_cast<int>(r.anomaly) < kAnomalyKindCount &&
                       static_cast<int>(r.anomaly_sensor) < kSensorTypeCount;
  const size_t anomaly_size =
      anomaly ? StringSize(anomaly_names_[static_cast<size_t>(r.anomaly)]) +
                    StringSize(sensor_names_[static_cast<size_t>(r.anomaly_sensor)])
              : 0;
  const bool incident = r.incident.phase != IncidentPhase::kNone;
  char incident_id_buf[Fleet::kMaxIdLength];
  char scope_buf[Fleet::kMaxIdLength];
  std::string_view incident_id, scope, incident_kind, incident_phase;
  size_t incident_size = 0;
  if (incident) {
    incident_kind = static_cast<size_t>(r.incident.kind) < incident_kinds_.size()
                        ? incident_kinds_[static_cast<size_t>(r.incident.kind)]
                        : std::string_view(Name(r.incident.kind));
    incident_phase = incident_phases_[static_cast<size_t>(r.incident.phase)];
    incident_id = {
        incident_id_buf,
        static_cast<size_t>(FormatIncidentId(r.incident.id, incident_id_buf) - incident_id_buf)};
    scope = {scope_buf, fleet_.FormatScope(r.device, r.incident.scope, scope_buf)};
    incident_size = StringSize(incident_id) + StringSize(incident_kind) + StringSize(scope) +
                    StringSize(incident_phase);
  }
  const size_t size = StringSize(id) + (r.seq == 0 ? 0 : kTagSize + VarintSize(r.seq)) +
                      (r.ts == 0 ? 0 : kTagSize + VarintSize(static_cast<uint64_t>(r.ts))) +
                      StringSize(profile) + NestedSize(location_size) + readings_size +
                      StringSize(quality) + (anomaly ? NestedSize(anomaly_size) : 0) +
                      (incident ? NestedSize(incident_size) : 0);

  if (out_.size() < size + kPieceBytes) out_.resize(std::max(size + kPieceBytes, 2 * out_.size()));
  Writer w(out_.data());
  w.String(1, id);
  w.VarintField(2, r.seq);
  w.VarintField(3, static_cast<uint64_t>(r.ts));
  w.String(4, profile);
  w.Nested(5, location_size);
  w.String(1, site);
  w.String(2, building);
  w.VarintField(3, floor);
  w.String(4, room);
  for (size_t i = 0; i < count; ++i) {
    const SensorValue& s = r.sensors[i];
    if (!s.present || static_cast<int>(s.type) >= kSensorTypeCount) continue;
    const ReadingField& field = reading_fields_[static_cast<size_t>(s.type)];
    char* at = w.at();
    PutPiece(at, field.piece);
    if (s.type == SensorType::kSwitch) {
      at[field.value_at] = s.on ? 1 : 0;
    } else {
      const double value = RoundToCents(s.value);
      std::memcpy(at + field.value_at, &value, sizeof value);  // little-endian, as on the wire
    }
    w.Skip(field.piece.size);
  }
  w.String(7, quality);
  if (anomaly) {
    w.Nested(8, anomaly_size);
    w.String(1, anomaly_names_[static_cast<size_t>(r.anomaly)]);
    w.String(2, sensor_names_[static_cast<size_t>(r.anomaly_sensor)]);
  }
  if (incident) {
    w.Nested(9, incident_size);
    w.String(1, incident_id);
    w.String(2, incident_kind);
    w.String(3, scope);
    w.String(4, incident_phase);
  }
  return {out_.data(), static_cast<size_t>(w.at() - out_.data())};
}

}  // namespace iiot
