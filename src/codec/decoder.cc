#include "codec/decoder.h"

#include <array>
#include <exception>
#include <string_view>

#include "codec/decoder_internal.h"
#include "sim/reading.h"

namespace iiot {
namespace decoder_internal {
namespace {

// The names of an enum's values, indexed by value, measured once.
template <typename Enum, size_t kCount>
std::array<std::string_view, kCount> NamesOf() {
  std::array<std::string_view, kCount> names;
  for (size_t i = 0; i < kCount; ++i) names[i] = Name(static_cast<Enum>(i));
  return names;
}

bool SensorTypeNamed(std::string_view name, SensorType* out) {
  static const auto kNames = NamesOf<SensorType, kSensorTypeCount>();
  for (size_t t = 0; t < kNames.size(); ++t) {
    if (name == kNames[t]) {
      *out = static_cast<SensorType>(t);
      return true;
    }
  }
  return false;
}

bool IsAnomalyKind(std::string_view name) {
  static const auto kNames = NamesOf<AnomalyKind, kAnomalyKindCount>();
  for (size_t k = 1; k < kNames.size(); ++k) {  // 0 is "none", never written
    if (name == kNames[k]) return true;
  }
  return false;
}

}  // namespace

bool Fail(std::string* error, std::string reason) {
  if (error != nullptr) *error = std::move(reason);
  return false;
}

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

bool StartSensor(std::string_view name, DecodedSensor* s, std::string* error) {
  if (!SensorTypeNamed(name, &s->type)) {
    return Fail(error, "readings has unknown sensor \"" + std::string(name) + "\"");
  }
  s->name.assign(name);
  return true;
}

}  // namespace decoder_internal

namespace {

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
  using decoder_internal::Fail;
  if (bytes.size() > kMaxDecodeBytes) {
    return Fail(error, "message of " + std::to_string(bytes.size()) + " bytes exceeds " +
                           std::to_string(kMaxDecodeBytes));
  }
  if (bytes.empty()) return Fail(error, "empty message");
  try {
    return format == Format::kJson ? decoder_internal::DecodeJson(bytes, out, error)
                                   : decoder_internal::DecodeProtobuf(bytes, out, error);
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
