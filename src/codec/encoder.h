// Encoder: turns a Reading into the bytes of one Kafka message value (JSON or Protobuf,
// docs/message.md). Each worker owns one encoder; the returned view points into the
// encoder's own buffer and stays valid until the next Encode call. Not thread-safe.
// Steady state never allocates: buffers are reused.
//
// Example:
//   auto enc = MakeEncoder(Format::kJson, fleet);
//   std::string_view value = enc->Encode(reading);
#pragma once

#include <memory>
#include <string_view>

#include "config/config.h"
#include "sim/fleet.h"
#include "sim/reading.h"

namespace iiot {

class Encoder {
 public:
  virtual ~Encoder() = default;
  // Encodes r; the view is valid until the next call.
  virtual std::string_view Encode(const Reading& r) = 0;
  // The Kafka key for r: the device id. Valid until the next call to Key or Encode.
  virtual std::string_view Key(const Reading& r) = 0;
};

// fleet must outlive the encoder.
std::unique_ptr<Encoder> MakeEncoder(Format format, const Fleet& fleet);

}  // namespace iiot
