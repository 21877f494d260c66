// The Protobuf half of codec/decoder.h: iiot.v1.Reading (proto/reading.proto) read
// straight from the wire format into a DecodedReading, with no message object, no
// allocation once warm, and no logging. It accepts exactly what libprotobuf 3.21's
// ParseFromArray accepts (tests/unit/codec/protobuf_decoder_test.cc compares the two):
// tags of at most 5 bytes and field number >= 1; varints of at most 10 bytes (int32 keeps
// the low 32 bits); lengths of at most 5 bytes within the input; wire types 0-5, groups
// matched by field number and nested at most 100 deep with the messages; known field
// numbers with another wire type skipped as unknown fields; every string field valid
// UTF-8; the last value of a repeated scalar wins, a repeated message field merges, each
// "readings" entry appends.
#include <simdjson.h>

#include <bit>
#include <cstdint>
#include <vector>

#include "codec/decoder_internal.h"

namespace iiot::decoder_internal {
namespace {

// libprotobuf's default recursion limit: messages and groups nested inside the top one.
constexpr int kMaxDepth = 100;
// A thread keeps room for this many readings between messages (a real one has at most 5).
constexpr size_t kMaxKeptSensors = 64;

enum WireType : uint32_t {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kStartGroup = 3,
  kEndGroup = 4,
  kFixed32 = 5,
};

constexpr uint32_t TagOf(uint32_t field, WireType type) { return field << 3 | type; }

// Short and ASCII as a rule: simdjson's validator (SIMD, dispatched at run time) is only
// worth its call for the others.
bool IsUtf8(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80)
      return simdjson::validate_utf8(text.data(), text.size());
  }
  return true;
}

// One message's bytes, read from the front. Every read returns false when the bytes do not
// hold what it reads.
class WireReader {
 public:
  explicit WireReader(std::string_view bytes)
      : p_(reinterpret_cast<const uint8_t*>(bytes.data())), end_(p_ + bytes.size()) {}

  bool AtEnd() const { return p_ == end_; }

  // A varint of at most `max_bytes`, its bits above 64 dropped.
  bool Varint(uint64_t* out, int max_bytes = 10) {
    uint64_t v = 0;
    for (int i = 0; i < max_bytes && p_ != end_; ++i) {
      const uint8_t byte = *p_++;
      v |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
      if (byte < 0x80) {
        *out = v;
        return true;
      }
    }
    return false;
  }

  bool Tag(uint32_t* tag) {
    uint64_t v = 0;
    if (!Varint(&v, 5)) return false;
    *tag = static_cast<uint32_t>(v);
    return true;
  }

  // A length-delimited payload: its length is a varint of at most 5 bytes, below 2^31.
  bool Bytes(std::string_view* out) {
    uint64_t length = 0;
    if (!Varint(&length, 5) || length > static_cast<uint64_t>(end_ - p_)) return false;
    *out = {reinterpret_cast<const char*>(p_), static_cast<size_t>(length)};
    p_ += length;
    return true;
  }

  bool Text(std::string_view* out) { return Bytes(out) && IsUtf8(*out); }

  bool Fixed64(uint64_t* out) {
    if (end_ - p_ < 8) return false;
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = v << 8 | p_[i];  // little-endian
    p_ += 8;
    *out = v;
    return true;
  }

  // Skips the value of an unknown field whose tag was just read. `depth`: how many more
  // levels of nesting are allowed.
  bool Skip(uint32_t tag, int depth) {
    uint64_t ignored = 0;
    std::string_view payload;
    switch (tag & 7) {
      case kVarint:
        return Varint(&ignored);
      case kFixed64:
        return Advance(8);
      case kLengthDelimited:
        return Bytes(&payload);
      case kFixed32:
        return Advance(4);
      case kStartGroup: {
        if (--depth < 0) return false;
        for (;;) {
          uint32_t inner = 0;
          if (!Tag(&inner)) return false;
          if (inner == 0 || (inner & 7) == kEndGroup) return inner == tag + 1;
          if ((inner >> 3) == 0 || !Skip(inner, depth)) return false;
        }
      }
      default:  // an end group with no start, or wire type 6 or 7
        return false;
    }
  }

 private:
  bool Advance(size_t n) {
    if (static_cast<size_t>(end_ - p_) < n) return false;
    p_ += n;
    return true;
  }

  const uint8_t* p_;
  const uint8_t* end_;
};

// Reads every field of one message: on_field(tag, reader) reads a field it knows and
// returns kRead, or returns kUnknown to have it skipped, or kBad.
enum class Field { kRead, kUnknown, kBad };

template <typename OnField>
bool ReadMessage(std::string_view bytes, int depth, OnField on_field) {
  WireReader in(bytes);
  while (!in.AtEnd()) {
    uint32_t tag = 0;
    if (!in.Tag(&tag) || (tag >> 3) == 0 || (tag & 7) == kEndGroup) return false;
    switch (on_field(tag, in)) {
      case Field::kRead:
        break;
      case Field::kUnknown:
        if (!in.Skip(tag, depth)) return false;
        break;
      case Field::kBad:
        return false;
    }
  }
  return true;
}

// A known string field: kRead with *out set, or kBad.
Field ReadText(WireReader& in, std::string_view* out) {
  return in.Text(out) ? Field::kRead : Field::kBad;
}

// A message field nested in the one being read.
template <typename OnField>
Field ReadNested(WireReader& in, int depth, OnField on_field) {
  std::string_view payload;
  if (depth <= 0 || !in.Bytes(&payload)) return Field::kBad;
  return ReadMessage(payload, depth - 1, on_field) ? Field::kRead : Field::kBad;
}

// iiot.v1.Reading as read, its strings pointing into the input.
struct WireSensor {
  std::string_view sensor, unit;
  enum class Value : uint8_t { kNone, kNumber, kState } value = Value::kNone;
  double number = 0;
  bool state = false;
};
struct WireReading {
  std::string_view device_id, profile, quality;
  uint64_t seq = 0;
  int64_t ts_ms = 0;
  bool has_location = false, has_anomaly = false, has_incident = false;
  std::string_view site, building, room;
  int32_t floor = 0;
  std::string_view anomaly_kind, anomaly_sensor;
  std::string_view incident_id, incident_kind, incident_scope, incident_phase;
};

Field ReadSensor(WireReader& in, int depth, WireSensor* s) {
  return ReadNested(in, depth, [s](uint32_t tag, WireReader& r) {
    uint64_t v = 0;
    switch (tag) {
      case TagOf(1, kLengthDelimited):
        return ReadText(r, &s->sensor);
      case TagOf(2, kFixed64):
        if (!r.Fixed64(&v)) return Field::kBad;
        s->number = std::bit_cast<double>(v);
        s->value = WireSensor::Value::kNumber;
        return Field::kRead;
      case TagOf(3, kVarint):
        if (!r.Varint(&v)) return Field::kBad;
        s->state = v != 0;
        s->value = WireSensor::Value::kState;
        return Field::kRead;
      case TagOf(4, kLengthDelimited):
        return ReadText(r, &s->unit);
      default:
        return Field::kUnknown;
    }
  });
}

// The whole input into *m and *sensors (cleared first); false on a wire-format error.
bool ReadReading(std::string_view bytes, WireReading* m, std::vector<WireSensor>* sensors) {
  sensors->clear();
  const int depth = kMaxDepth;
  return ReadMessage(bytes, depth, [&](uint32_t tag, WireReader& in) {
    uint64_t v = 0;
    switch (tag) {
      case TagOf(1, kLengthDelimited):
        return ReadText(in, &m->device_id);
      case TagOf(2, kVarint):
        if (!in.Varint(&m->seq)) return Field::kBad;
        return Field::kRead;
      case TagOf(3, kVarint):
        if (!in.Varint(&v)) return Field::kBad;
        m->ts_ms = static_cast<int64_t>(v);
        return Field::kRead;
      case TagOf(4, kLengthDelimited):
        return ReadText(in, &m->profile);
      case TagOf(5, kLengthDelimited):
        m->has_location = true;
        return ReadNested(in, depth, [m](uint32_t t, WireReader& r) {
          uint64_t n = 0;
          switch (t) {
            case TagOf(1, kLengthDelimited):
              return ReadText(r, &m->site);
            case TagOf(2, kLengthDelimited):
              return ReadText(r, &m->building);
            case TagOf(3, kVarint):
              if (!r.Varint(&n)) return Field::kBad;
              m->floor = static_cast<int32_t>(static_cast<uint32_t>(n));
              return Field::kRead;
            case TagOf(4, kLengthDelimited):
              return ReadText(r, &m->room);
            default:
              return Field::kUnknown;
          }
        });
      case TagOf(6, kLengthDelimited):
        return ReadSensor(in, depth, &sensors->emplace_back());
      case TagOf(7, kLengthDelimited):
        return ReadText(in, &m->quality);
      case TagOf(8, kLengthDelimited):
        m->has_anomaly = true;
        return ReadNested(in, depth, [m](uint32_t t, WireReader& r) {
          if (t == TagOf(1, kLengthDelimited)) return ReadText(r, &m->anomaly_kind);
          if (t == TagOf(2, kLengthDelimited)) return ReadText(r, &m->anomaly_sensor);
          return Field::kUnknown;
        });
      case TagOf(9, kLengthDelimited):
        m->has_incident = true;
        return ReadNested(in, depth, [m](uint32_t t, WireReader& r) {
          if (t == TagOf(1, kLengthDelimited)) return ReadText(r, &m->incident_id);
          if (t == TagOf(2, kLengthDelimited)) return ReadText(r, &m->incident_kind);
          if (t == TagOf(3, kLengthDelimited)) return ReadText(r, &m->incident_scope);
          if (t == TagOf(4, kLengthDelimited)) return ReadText(r, &m->incident_phase);
          return Field::kUnknown;
        });
      default:
        return Field::kUnknown;
    }
  });
}

}  // namespace

bool DecodeProtobuf(std::string_view bytes, DecodedReading* out, std::string* error) {
  // Reused, so that a warm thread does not allocate; let go after a freak message.
  thread_local std::vector<WireSensor> sensors;
  if (sensors.capacity() > kMaxKeptSensors) sensors = {};
  WireReading m;
  if (!ReadReading(bytes, &m, &sensors)) {
    return Fail(error,
                "not an iiot.v1.Reading protobuf message (bad wire format or non-UTF-8 text)");
  }
  if (!m.has_location) return Fail(error, "location is missing");
  out->device_id.assign(m.device_id);
  out->seq = m.seq;
  out->ts = m.ts_ms;
  out->profile.assign(m.profile);
  out->site.assign(m.site);
  out->building.assign(m.building);
  out->room.assign(m.room);
  if (m.floor < 0) return Fail(error, "location.floor is negative");
  out->floor = static_cast<uint32_t>(m.floor);
  out->quality.assign(m.quality);

  out->readings.resize(sensors.size());
  for (size_t i = 0; i < sensors.size(); ++i) {
    const WireSensor& in = sensors[i];
    DecodedSensor& s = out->readings[i];
    if (!StartSensor(in.sensor, &s, error)) return false;
    const bool is_switch = s.type == SensorType::kSwitch;
    if (is_switch && in.value != WireSensor::Value::kState) {
      return Fail(error, "readings.switch has no boolean state");
    }
    if (!is_switch && in.value != WireSensor::Value::kNumber) {
      return Fail(error, "readings." + s.name + " has no number");
    }
    s.on = is_switch && in.state;
    s.value = is_switch ? (s.on ? 1.0 : 0.0) : in.number;
    s.unit.assign(in.unit);
  }

  out->anomaly_kind.clear();
  out->anomaly_sensor.clear();
  if (m.has_anomaly) {
    if (m.anomaly_kind.empty() || m.anomaly_sensor.empty()) {
      return Fail(error, "anomaly is set but its kind or sensor is empty");
    }
    out->anomaly_kind.assign(m.anomaly_kind);
    out->anomaly_sensor.assign(m.anomaly_sensor);
  }
  out->incident_id.clear();
  out->incident_kind.clear();
  out->incident_scope.clear();
  out->incident_phase.clear();
  if (m.has_incident) {
    out->incident_id.assign(m.incident_id);
    out->incident_kind.assign(m.incident_kind);
    out->incident_scope.assign(m.incident_scope);
    out->incident_phase.assign(m.incident_phase);
    if (out->incident_phase.empty()) return Fail(error, "incident is set but its phase is empty");
  }
  return Validate(*out, error);
}

}  // namespace iiot::decoder_internal
