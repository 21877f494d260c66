#include "codec/decoder.h"

#include <google/protobuf/stubs/logging.h>

#include <cmath>
#include <exception>
#include <limits>
#include <nlohmann/json.hpp>

#include "base/iso_time.h"
#include "reading.pb.h"
#include "sim/reading.h"

namespace iiot {
namespace {

// ordered_json keeps the readings in message order.
using Json = nlohmann::ordered_json;

bool Fail(std::string* error, std::string reason) {
  if (error != nullptr) *error = std::move(reason);
  return false;
}

bool SensorTypeNamed(std::string_view name, SensorType* out) {
  for (int t = 0; t < kSensorTypeCount; ++t) {
    if (name == Name(static_cast<SensorType>(t))) {
      *out = static_cast<SensorType>(t);
      return true;
    }
  }
  return false;
}

bool IsAnomalyKind(std::string_view name) {
  for (int k = 1; k < kAnomalyKindCount; ++k) {  // 0 is "none", never written
    if (name == Name(static_cast<AnomalyKind>(k))) return true;
  }
  return false;
}

// Checks shared by both formats, on the decoded fields.
bool Validate(const DecodedReading& m, std::string* error) {
  if (m.device_id.empty()) return Fail(error, "device_id is missing or empty");
  if (m.seq == 0) return Fail(error, "seq is missing or 0 (it counts from 1)");
  if (m.profile.empty()) return Fail(error, "profile is missing or empty");
  if (m.quality != "good" && m.quality != "partial") {
    return Fail(error, "quality \"" + m.quality + "\" is not good|partial");
  }
  for (size_t i = 0; i < m.readings.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (m.readings[j].type == m.readings[i].type) {
        return Fail(error, "readings name \"" + m.readings[i].name + "\" twice");
      }
    }
  }
  if (!m.anomaly_kind.empty() || !m.anomaly_sensor.empty()) {
    SensorType type;
    if (!IsAnomalyKind(m.anomaly_kind)) {
      return Fail(error, "anomaly kind \"" + m.anomaly_kind + "\" is unknown");
    }
    if (!SensorTypeNamed(m.anomaly_sensor, &type)) {
      return Fail(error, "anomaly sensor \"" + m.anomaly_sensor + "\" is unknown");
    }
  }
  if (!m.incident_phase.empty() || !m.incident_kind.empty() || !m.incident_id.empty() ||
      !m.incident_scope.empty()) {
    if (m.incident_id.empty() || m.incident_scope.empty()) {
      return Fail(error, "incident has no id or scope");
    }
    IncidentKind kind{};
    if (!IncidentKindNamed(m.incident_kind, &kind)) {
      return Fail(error, "incident kind \"" + m.incident_kind + "\" is unknown");
    }
    if (m.incident_phase != Name(IncidentPhase::kActive) &&
        m.incident_phase != Name(IncidentPhase::kRecovery)) {
      return Fail(error, "incident phase \"" + m.incident_phase + "\" is not active|recovery");
    }
  }
  return true;
}

// Fills a sensor's type and name; false if the name is not a sensor type.
bool StartSensor(std::string_view name, DecodedSensor* s, std::string* error) {
  if (!SensorTypeNamed(name, &s->type)) {
    return Fail(error, "readings has unknown sensor \"" + std::string(name) + "\"");
  }
  s->name.assign(name);
  return true;
}

// --- JSON ---------------------------------------------------------------------------

const Json* Field(const Json& object, const char* key) {
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

bool GetString(const Json& object, const char* key, std::string* out, std::string* error) {
  const Json* v = Field(object, key);
  if (v == nullptr || !v->is_string()) {
    return Fail(error, std::string("\"") + key + "\" is missing or not a string");
  }
  *out = v->get_ref<const std::string&>();
  return true;
}

bool GetUnsigned(const Json& object, const char* key, uint64_t max, uint64_t* out,
                 std::string* error) {
  const Json* v = Field(object, key);
  if (v == nullptr || !v->is_number_unsigned() || v->get<uint64_t>() > max) {
    return Fail(error, std::string("\"") + key + "\" is missing or not an unsigned integer");
  }
  *out = v->get<uint64_t>();
  return true;
}

bool DecodeJsonSensor(const std::string& name, const Json& body, DecodedSensor* s,
                      std::string* error) {
  if (!StartSensor(name, s, error)) return false;
  const Json* value = body.is_object() ? Field(body, "value") : nullptr;
  if (value == nullptr) return Fail(error, "readings." + name + " has no \"value\"");
  if (s->type == SensorType::kSwitch) {
    if (!value->is_boolean()) return Fail(error, "readings.switch.value is not a boolean");
    s->on = value->get<bool>();
    s->value = s->on ? 1.0 : 0.0;
    s->unit.clear();
    return true;
  }
  if (value->is_number()) {
    s->value = value->get<double>();
  } else if (value->is_null()) {
    s->value = std::numeric_limits<double>::quiet_NaN();
  } else {
    return Fail(error, "readings." + name + ".value is not a number");
  }
  s->on = false;
  return GetString(body, "unit", &s->unit, error);
}

bool DecodeJson(std::string_view bytes, DecodedReading* out, std::string* error) {
  Json j;
  try {
    j = Json::parse(bytes);
  } catch (const Json::exception& e) {
    return Fail(error, std::string("not JSON: ") + e.what());
  }
  if (!j.is_object()) return Fail(error, "not a JSON object");

  std::string ts;
  if (!GetString(j, "device_id", &out->device_id, error) ||
      !GetUnsigned(j, "seq", std::numeric_limits<uint64_t>::max(), &out->seq, error) ||
      !GetString(j, "ts", &ts, error) || !GetString(j, "profile", &out->profile, error) ||
      !GetString(j, "quality", &out->quality, error)) {
    return false;
  }
  if (!ParseIsoMillis(ts, &out->ts)) {
    return Fail(error, "ts \"" + ts + "\" is not YYYY-MM-DDTHH:MM:SS.mmmZ");
  }

  const Json* location = Field(j, "location");
  if (location == nullptr || !location->is_object()) {
    return Fail(error, "\"location\" is missing or not an object");
  }
  uint64_t floor = 0;
  if (!GetString(*location, "site", &out->site, error) ||
      !GetString(*location, "building", &out->building, error) ||
      !GetUnsigned(*location, "floor", std::numeric_limits<uint32_t>::max(), &floor, error) ||
      !GetString(*location, "room", &out->room, error)) {
    return false;
  }
  out->floor = static_cast<uint32_t>(floor);

  const Json* readings = Field(j, "readings");
  if (readings == nullptr || !readings->is_object()) {
    return Fail(error, "\"readings\" is missing or not an object");
  }
  out->readings.resize(readings->size());
  size_t i = 0;
  for (const auto& [name, body] : readings->items()) {
    if (!DecodeJsonSensor(name, body, &out->readings[i++], error)) return false;
  }

  const Json* anomaly = Field(j, "anomaly");
  out->anomaly_kind.clear();
  out->anomaly_sensor.clear();
  if (anomaly == nullptr || !(anomaly->is_null() || anomaly->is_object())) {
    return Fail(error, "\"anomaly\" is missing or neither null nor an object");
  }
  if (anomaly->is_object() && (!GetString(*anomaly, "kind", &out->anomaly_kind, error) ||
                               !GetString(*anomaly, "sensor", &out->anomaly_sensor, error))) {
    return false;
  }

  // Optional: messages from before incidents have no such field.
  const Json* incident = Field(j, "incident");
  out->incident_id.clear();
  out->incident_kind.clear();
  out->incident_scope.clear();
  out->incident_phase.clear();
  if (incident != nullptr && !(incident->is_null() || incident->is_object())) {
    return Fail(error, "\"incident\" is neither null nor an object");
  }
  if (incident != nullptr && incident->is_object() &&
      (!GetString(*incident, "id", &out->incident_id, error) ||
       !GetString(*incident, "kind", &out->incident_kind, error) ||
       !GetString(*incident, "scope", &out->incident_scope, error) ||
       !GetString(*incident, "phase", &out->incident_phase, error))) {
    return false;
  }
  return Validate(*out, error);
}

// --- Protobuf -----------------------------------------------------------------------

bool DecodeProtobuf(std::string_view bytes, DecodedReading* out, std::string* error) {
  v1::Reading m;
  bool parsed;
  {
    // Without it, protobuf logs every string field with invalid UTF-8 to stderr; the
    // reason is ours to report. (Silences protobuf's logging process-wide meanwhile.)
    google::protobuf::LogSilencer quiet;
    parsed = m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  }
  if (!parsed) {
    return Fail(error,
                "not an iiot.v1.Reading protobuf message (bad wire format or non-UTF-8 text)");
  }
  if (!m.has_location()) return Fail(error, "location is missing");
  out->device_id = m.device_id();
  out->seq = m.seq();
  out->ts = m.ts_ms();
  out->profile = m.profile();
  out->site = m.location().site();
  out->building = m.location().building();
  out->room = m.location().room();
  if (m.location().floor() < 0) return Fail(error, "location.floor is negative");
  out->floor = static_cast<uint32_t>(m.location().floor());
  out->quality = m.quality();

  out->readings.resize(static_cast<size_t>(m.readings_size()));
  for (int i = 0; i < m.readings_size(); ++i) {
    const v1::SensorReading& in = m.readings(i);
    DecodedSensor& s = out->readings[static_cast<size_t>(i)];
    if (!StartSensor(in.sensor(), &s, error)) return false;
    const bool is_switch = s.type == SensorType::kSwitch;
    if (is_switch && in.value_case() != v1::SensorReading::kState) {
      return Fail(error, "readings.switch has no boolean state");
    }
    if (!is_switch && in.value_case() != v1::SensorReading::kNumber) {
      return Fail(error, "readings." + s.name + " has no number");
    }
    s.on = is_switch && in.state();
    s.value = is_switch ? (s.on ? 1.0 : 0.0) : in.number();
    s.unit = in.unit();
  }

  out->anomaly_kind.clear();
  out->anomaly_sensor.clear();
  if (m.has_anomaly()) {
    if (m.anomaly().kind().empty() || m.anomaly().sensor().empty()) {
      return Fail(error, "anomaly is set but its kind or sensor is empty");
    }
    out->anomaly_kind = m.anomaly().kind();
    out->anomaly_sensor = m.anomaly().sensor();
  }
  out->incident_id.clear();
  out->incident_kind.clear();
  out->incident_scope.clear();
  out->incident_phase.clear();
  if (m.has_incident()) {
    out->incident_id = m.incident().id();
    out->incident_kind = m.incident().kind();
    out->incident_scope = m.incident().scope();
    out->incident_phase = m.incident().phase();
    if (out->incident_phase.empty()) return Fail(error, "incident is set but its phase is empty");
  }
  return Validate(*out, error);
}

// Reads a base-128 varint of at most 10 bytes; false if truncated or too long.
bool ReadVarint(std::string_view* s, uint64_t* out) {
  uint64_t v = 0;
  for (size_t i = 0; i < s->size() && i < 10; ++i) {
    const auto byte = static_cast<uint8_t>((*s)[i]);
    v |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) {
      s->remove_prefix(i + 1);
      *out = v;
      return true;
    }
  }
  return false;
}

}  // namespace

const DecodedSensor* DecodedReading::Find(std::string_view sensor_name) const {
  for (const DecodedSensor& s : readings) {
    if (s.name == sensor_name) return &s;
  }
  return nullptr;
}

bool Decode(Format format, std::string_view bytes, DecodedReading* out, std::string* error) {
  if (bytes.size() > kMaxDecodeBytes) {
    return Fail(error, "message of " + std::to_string(bytes.size()) + " bytes exceeds " +
                           std::to_string(kMaxDecodeBytes));
  }
  if (bytes.empty()) return Fail(error, "empty message");
  try {
    return format == Format::kJson ? DecodeJson(bytes, out, error)
                                   : DecodeProtobuf(bytes, out, error);
  } catch (const std::exception& e) {  // bad_alloc, or a library surprise
    return Fail(error, std::string("decoding failed: ") + e.what());
  } catch (...) {
    return Fail(error, "decoding failed");
  }
}

FrameStatus NextFrame(Format format, std::string_view* stream, std::string_view* message) {
  if (stream->empty()) return FrameStatus::kEnd;
  if (format == Format::kJson) {
    const size_t end = stream->find('\n');
    *message = stream->substr(0, end);
    stream->remove_prefix(end == std::string_view::npos ? stream->size() : end + 1);
    return FrameStatus::kMessage;
  }
  std::string_view rest = *stream;
  uint64_t length = 0;
  if (!ReadVarint(&rest, &length) || length > kMaxDecodeBytes || length > rest.size()) {
    return FrameStatus::kMalformed;
  }
  *message = rest.substr(0, length);
  *stream = rest.substr(length);
  return FrameStatus::kMessage;
}

}  // namespace iiot
