// ProtobufEncoder: writes a Reading as an iiot.v1.Reading message (proto/reading.proto),
// the same content as the JSON message field for field: numbers rounded to 0.01 like the
// JSON's (rounding.h), dropped-out sensors omitted, anomaly and incident unset when there
// are none.
//
// The wire format is written directly (protobuf's encoding rules: fields in number order,
// proto3 defaults omitted, a oneof member written even when zero), byte for byte what
// libprotobuf's serializer gives for the same message — the tests parse every output with
// the generated class and serialize it again to check. Sizes of the nested messages are
// computed first, so each is written once, in place. This is the hot path: it costs a
// third of filling the generated message and serializing it.
// Steady state allocates nothing. Not thread-safe: one per worker.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "codec/encoder.h"

namespace iiot {

class ProtobufEncoder final : public Encoder {
 public:
  // fleet must outlive the encoder.
  explicit ProtobufEncoder(const Fleet& fleet);

  std::string_view Encode(const Reading& r) override;

 private:
  // The texts of the enumerations, with their lengths (no strlen per message).
  std::array<std::string_view, kSensorTypeCount> sensor_names_{};
  std::array<std::string_view, kSensorTypeCount> units_{};
  std::array<std::string_view, kAnomalyKindCount> anomaly_names_{};
  std::array<std::string_view, kIncidentKindCount> incident_kinds_{};
  std::array<std::string_view, 3> incident_phases_{};  // by IncidentPhase

  // Per sensor type, the whole `readings` field of one sensor (tag, length, name, a zero
  // value, unit): only the value differs between messages, the 8-byte double (or the
  // switch's one byte) at value_at.
  struct ReadingField {
    Piece piece;
    size_t value_at = 0;
  };
  std::array<ReadingField, kSensorTypeCount> reading_fields_{};

  // Reused by every call; kPieceBytes longer than the message.
  std::string out_;
};

}  // namespace iiot
