// ProtobufEncoder: writes a Reading as an iiot.v1.Reading message (proto/reading.proto),
// the same content as the JSON message field for field: numbers rounded to 0.01 like the
// JSON's (rounding.h), dropped-out sensors omitted, anomaly unset when there is none.
//
// One message object and one output string are reused for every call. The message is
// never Clear()ed, because the generated Clear() deletes sub-messages: every field is
// overwritten instead (strings only when they change), surplus readings are removed with
// RemoveLast (which keeps the element objects for reuse), and the anomaly sub-message is
// detached into spare_anomaly_ when a reading has none.
// Steady state allocates nothing. Not thread-safe: one per worker.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "codec/encoder.h"
#include "reading.pb.h"

namespace iiot {

class ProtobufEncoder final : public Encoder {
 public:
  // fleet must outlive the encoder.
  explicit ProtobufEncoder(const Fleet& fleet);

  std::string_view Encode(const Reading& r) override;
  std::string_view Key(const Reading& r) override;

  // The message the last Encode filled (tests inspect it).
  const v1::Reading& message() const { return msg_; }

 private:
  // Constant after construction.
  const Fleet& fleet_;

  // Reused by every call.
  v1::Reading msg_;
  std::unique_ptr<v1::Anomaly> spare_anomaly_;    // owned here while msg_ has no anomaly
  std::unique_ptr<v1::Incident> spare_incident_;  // likewise for the incident
  std::string out_;
  std::array<char, Fleet::kMaxIdLength> key_{};
};

}  // namespace iiot
