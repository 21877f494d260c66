// What the two wire formats of codec/decoder.h share, for decoder.cc, json_decoder.cc and
// protobuf_decoder.cc only: the reason setter, the sensor-name lookup and the schema checks
// made on the decoded fields. Free functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "codec/decoder.h"

namespace iiot::decoder_internal {

// Sets *error (if not null) to `reason` and returns false.
bool Fail(std::string* error, std::string reason);

// Fills s->type and s->name; false (and the reason) if `name` is not a sensor type.
bool StartSensor(std::string_view name, DecodedSensor* s, std::string* error);

// The checks shared by both formats, on the decoded fields (decoder.h lists them).
bool Validate(const DecodedReading& m, std::string* error);

// One format each; bytes is not empty and at most kMaxDecodeBytes. On failure *out is
// partly filled. Each thread keeps its own scratch buffers, reused from one message to the
// next, so a warmed-up thread decodes without allocating.
bool DecodeJson(std::string_view bytes, DecodedReading* out, std::string* error);
bool DecodeProtobuf(std::string_view bytes, DecodedReading* out, std::string* error);

}  // namespace iiot::decoder_internal
