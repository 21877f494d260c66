// The consumer side of docs/message.md: decoding one Kafka message value (JSON or
// Protobuf) back into its fields, checked against the schema, and splitting a stdout/file
// stream into messages. Used by `iiot-producer verify` and the tests. JSON is read with
// simdjson's On-Demand API, Protobuf straight from the wire format (no message object).
// Free functions, thread-safe: each thread keeps its own scratch (a simdjson parser and a
// padded copy of the input, sized for the largest message seen up to 64 KiB), so that a
// warmed-up thread decoding into the same DecodedReading allocates nothing. They never
// throw: garbage, truncated, empty or oversized input yields false (or
// FrameStatus::kMalformed) and a reason.
//
// Example:
//   DecodedReading m;
//   std::string error;
//   if (!Decode(Format::kJson, value, &m, &error)) { /* count it, log error */ }
//   if (m.seq != last_seq[m.device_id] + 1) { /* gap, duplicate or reordering */ }
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace iiot {

// One entry of a message's "readings".
struct DecodedSensor {
  SensorType type = SensorType::kTemperature;
  std::string name;  // Name(type): "temperature", "humidity", "pressure", "switch", "current"
  double value = 0;  // numeric sensors; NaN if the JSON value was null. Switch: 1 or 0
  bool on = false;   // switch only
  std::string unit;  // "C", "%", "hPa", "A"; empty for switch
};

// Every field of one message. Strings are empty and numbers 0 where the message has none.
struct DecodedReading {
  std::string device_id;
  uint64_t seq = 0;
  UnixMillis ts = 0;
  std::string profile;
  std::string site, building, room;
  uint32_t floor = 0;
  std::vector<DecodedSensor> readings;  // in message order; dropped-out sensors are absent
  std::string quality;                  // "good" | "partial"
  std::string anomaly_kind;             // "" (none) | "spike" | "stuck" | "drift" | ...
  std::string anomaly_sensor;           // "" when anomaly_kind is ""
  // The incident; all "" when none (or a message from before incidents existed).
  std::string incident_id, incident_kind, incident_scope, incident_phase;

  // The reading of the named sensor, or nullptr if the message has none.
  const DecodedSensor* Find(std::string_view sensor_name) const;
};

// Larger inputs are refused without parsing (messages are a few hundred bytes).
inline constexpr size_t kMaxDecodeBytes = size_t{1} << 20;

// Decodes one message value. On success fills *out (reusing its capacity) and returns
// true. On failure returns false, sets *error (if not null) to a one-line reason, and
// leaves *out partly filled. Checked: it parses; device_id, profile and the location are
// present; seq >= 1; ts is an ISO-8601 "YYYY-MM-DDTHH:MM:SS.mmmZ" (JSON); every reading
// names a known sensor once, with a boolean for the switch and a number otherwise;
// quality is good|partial; the anomaly is absent/null or a known kind and sensor; the
// incident is absent/null or has an id, a known kind, a scope and phase active|recovery.
// Unknown extra fields are ignored, but must be valid JSON (nested at most 1024 deep) or
// valid wire format. A JSON key given twice in one object: both values are checked, the
// last one counts (a sensor named twice in "readings" is refused). Reasons for JSON that
// does not parse start "not JSON: "; for Protobuf, "not an iiot.v1.Reading protobuf
// message", given exactly when libprotobuf would not parse it.
[[nodiscard]] bool Decode(Format format, std::string_view bytes, DecodedReading* out,
                          std::string* error);

// Splitting the stdout/file framing (docs/message.md, "Framing"): JSON is one message per
// line; Protobuf is each message prefixed by its length as a base-128 varint (the standard
// "delimited" stream).
enum class FrameStatus : uint8_t {
  kMessage,    // *message is the next message; *stream was advanced past it
  kEnd,        // *stream is empty
  kMalformed,  // bad or truncated length prefix, or a frame larger than kMaxDecodeBytes
};
FrameStatus NextFrame(Format format, std::string_view* stream, std::string_view* message);

}  // namespace iiot
