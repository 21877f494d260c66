#include "codec/json_encoder.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "codec/rounding.h"

namespace iiot {
namespace {

// Longest number WriteValue writes: to_chars(fixed, 2) of ±DBL_MAX is 313 chars.
constexpr size_t kMaxNumberLength = 320;
// Everything literal in a message, the seq, ts, floor and quality, with room to spare.
constexpr size_t kLiteralBound = 256;
// The incident object: its literals, 16 hex digits, the longest kind and phase, and a scope
// name escaped (at most six bytes each).
constexpr size_t kIncidentBound = 128 + 6 * Fleet::kMaxIdLength;

char* Put(char* p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

// A sensor value with exactly two decimals; "null" for NaN and infinities (the sensor
// models never produce them, and JSON has no spelling for them).
char* WriteValue(double v, char* p) {
  if (!std::isfinite(v)) return Put(p, "null");
  if (!FitsCents(v)) {
    return std::to_chars(p, p + kMaxNumberLength, v, std::chars_format::fixed, 2).ptr;
  }
  const int64_t cents = ToCents(v);
  if (cents < 0) *p++ = '-';  // a negative cent count is never zero: no "-0.00"
  const uint64_t magnitude =
      cents < 0 ? uint64_t{0} - static_cast<uint64_t>(cents) : static_cast<uint64_t>(cents);
  p = std::to_chars(p, p + 20, magnitude / 100).ptr;
  const auto fraction = static_cast<unsigned>(magnitude % 100);
  p[0] = '.';
  p[1] = static_cast<char>('0' + fraction / 10);
  p[2] = static_cast<char>('0' + fraction % 10);
  return p + 3;
}

size_t MaxSize(const std::vector<std::string>& v) {
  size_t n = 0;
  for (const std::string& s : v) n = std::max(n, s.size());
  return n;
}

}  // namespace

char* WriteJsonEscaped(std::string_view s, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && c != '"' && c != '\\') {
      *out++ = c;
      continue;
    }
    *out++ = '\\';
    switch (c) {
      case '"':
        *out++ = '"';
        break;
      case '\\':
        *out++ = '\\';
        break;
      case '\n':
        *out++ = 'n';
        break;
      case '\r':
        *out++ = 'r';
        break;
      case '\t':
        *out++ = 't';
        break;
      case '\b':
        *out++ = 'b';
        break;
      case '\f':
        *out++ = 'f';
        break;
      default:
        out = Put(out, "u00");
        *out++ = kHex[u >> 4];
        *out++ = kHex[u & 0xf];
    }
  }
  return out;
}

std::string JsonEscaped(std::string_view s) {
  std::string out(6 * s.size(), '\0');
  out.resize(static_cast<size_t>(WriteJsonEscaped(s, out.data()) - out.data()));
  return out;
}

JsonEncoder::JsonEncoder(const Fleet& fleet)
    : Encoder(fleet), cached_second_(std::numeric_limits<int64_t>::min()) {
  const std::string site = JsonEscaped(fleet.site());
  for (const Profile& profile : fleet.profiles()) {
    profile_prefix_.push_back(R"(","profile":")" + JsonEscaped(profile.name) +
                              R"(","location":{"site":")" + site + R"(","building":")");
  }
  site_plain_ = site == fleet.site();
  for (size_t t = 0; t < sensor_head_.size(); ++t) {
    const auto type = static_cast<SensorType>(t);
    sensor_head_[t] = MakePiece(std::string("\"") + Name(type) + R"(":{"value":)");
    sensor_tail_[t] = MakePiece(type == SensorType::kSwitch ? "}"
                                                            : std::string(R"(,"unit":")") +
                                                                  JsonEscaped(Unit(type)) + "\"}");
  }
  for (int k = 0; k < kAnomalyKindCount; ++k) {
    for (int t = 0; t < kSensorTypeCount; ++t) {
      anomaly_.push_back(std::string(R"({"kind":")") + Name(static_cast<AnomalyKind>(k)) +
                         R"(","sensor":")" + Name(static_cast<SensorType>(t)) + "\"}");
    }
  }
  size_t sensor_bound = 0;
  for (size_t t = 0; t < sensor_head_.size(); ++t) {
    sensor_bound += sensor_head_[t].size + sensor_tail_[t].size + kMaxNumberLength + 1;
  }
  fixed_bound_ = kLiteralBound + MaxSize(profile_prefix_) + sensor_bound + MaxSize(anomaly_) +
                 kIncidentBound + kPieceBytes;
  buf_.resize(fixed_bound_ + 6 * (Fleet::kMaxIdLength + 32));
}

char* JsonEncoder::WriteTimestamp(UnixMillis ts, char* p) {
  ts = std::clamp(ts, kMinIsoMillis, kMaxIsoMillis);
  int64_t second = ts / 1000;
  int64_t ms = ts % 1000;
  if (ms < 0) {  // floor, for instants before 1970
    second -= 1;
    ms += 1000;
  }
  if (second != cached_second_) {
    FormatIsoSeconds(second, cached_date_.data());
    cached_second_ = second;
  }
  p = Put(p, {cached_date_.data(), cached_date_.size()});
  const auto m = static_cast<unsigned>(ms);
  p[0] = '.';
  p[1] = static_cast<char>('0' + m / 100);
  p[2] = static_cast<char>('0' + m / 10 % 10);
  p[3] = static_cast<char>('0' + m % 10);
  p[4] = 'Z';
  return p + 5;
}

char* JsonEncoder::WriteSensor(const SensorValue& s, char* p) const {
  const auto t = static_cast<size_t>(s.type);
  p = PutPiece(p, sensor_head_[t]);
  if (s.type == SensorType::kSwitch) {
    p = Put(p, s.on ? "true" : "false");
  } else {
    p = WriteValue(s.value, p);
  }
  return PutPiece(p, sensor_tail_[t]);
}

char* JsonEncoder::WriteIncident(const Reading& r, char* p) const {
  p = Put(p, R"({"id":")");
  p = FormatIncidentId(r.incident.id, p);
  p = Put(p, R"(","kind":")");
  p = Put(p, Name(r.incident.kind));
  p = Put(p, R"(","scope":")");
  char scope[Fleet::kMaxIdLength];
  p = WriteJsonEscaped({scope, fleet_.FormatScope(r.device, r.incident.scope, scope)}, p);
  p = Put(p, R"(","phase":")");
  p = Put(p, Name(r.incident.phase));
  return Put(p, "\"}");
}

std::string_view JsonEncoder::Encode(const Reading& r) {
  const std::string_view id = DeviceId(r.device);
  const uint32_t profile = fleet_.ProfileIndex(r.device);
  const Location location = fleet_.LocationOf(r.device);
  const std::string_view building = fleet_.BuildingName(location.building);
  const std::string_view room = fleet_.RoomName(location.room);

  const size_t bound = fixed_bound_ + 6 * (id.size() + building.size() + room.size());
  if (buf_.size() < bound) buf_.resize(std::max(bound, 2 * buf_.size()));

  char* p = buf_.data();
  p = Put(p, R"({"device_id":")");
  p = site_plain_ ? Put(p, id) : WriteJsonEscaped(id, p);
  p = Put(p, R"(","seq":)");
  p = std::to_chars(p, p + 20, r.seq).ptr;
  p = Put(p, R"(,"ts":")");
  p = WriteTimestamp(r.ts, p);
  p = Put(p, profile_prefix_[profile]);
  p = Put(p, building);  // generated, like the room: nothing to escape
  p = Put(p, R"(","floor":)");
  p = std::to_chars(p, p + 10, location.floor).ptr;
  p = Put(p, R"(,"room":")");
  p = Put(p, room);
  p = Put(p, R"("},"readings":{)");
  bool first = true;
  const size_t count = std::min<size_t>(r.sensor_count, r.sensors.size());
  for (size_t i = 0; i < count; ++i) {
    const SensorValue& s = r.sensors[i];
    if (!s.present || static_cast<int>(s.type) >= kSensorTypeCount) continue;
    if (!first) *p++ = ',';
    first = false;
    p = WriteSensor(s, p);
  }
  p = Put(p, R"(},"quality":")");
  p = Put(p, r.Quality());
  p = Put(p, R"(","anomaly":)");
  const auto kind = static_cast<int>(r.anomaly);
  const auto sensor = static_cast<int>(r.anomaly_sensor);
  if (r.anomaly != AnomalyKind::kNone && kind < kAnomalyKindCount && sensor < kSensorTypeCount) {
    p = Put(p, anomaly_[static_cast<size_t>(kind * kSensorTypeCount + sensor)]);
  } else {
    p = Put(p, "null");
  }
  p = Put(p, R"(,"incident":)");
  p = r.incident.phase == IncidentPhase::kNone ? Put(p, "null") : WriteIncident(r, p);
  *p++ = '}';
  return {buf_.data(), static_cast<size_t>(p - buf_.data())};
}

}  // namespace iiot
