// libFuzzer target: arbitrary bytes as one Kafka message value, decoded as JSON and as
// Protobuf, and as a stdout/file stream split into frames. Decode and NextFrame must never
// throw or crash (codec/decoder.h); a decoded message must pass its own checks; the
// decoder's own Protobuf reader must call the bytes bad wire format exactly when
// libprotobuf cannot parse them.
#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "codec/decoder.h"
#include "reading.pb.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  iiot::DecodedReading m;
  std::string error;
  for (const iiot::Format format : {iiot::Format::kJson, iiot::Format::kProtobuf}) {
    const bool ok = iiot::Decode(format, bytes, &m, &error);
    if (ok) {
      Check(!m.device_id.empty() && m.seq >= 1 && !m.profile.empty());
      Check(m.quality == "good" || m.quality == "partial");
    } else {
      Check(!error.empty());
    }
    if (format == iiot::Format::kProtobuf && size <= iiot::kMaxDecodeBytes && size > 0) {
      google::protobuf::LogSilencer quiet;  // it logs each invalid UTF-8 string
      iiot::v1::Reading reference;
      const bool parsed = reference.ParseFromArray(data, static_cast<int>(size));
      Check(parsed == (ok || !error.starts_with("not an iiot.v1.Reading protobuf message")));
    }
    std::string_view stream = bytes;
    std::string_view message;
    size_t frames = 0;
    while (iiot::NextFrame(format, &stream, &message) == iiot::FrameStatus::kMessage) {
      Check(message.size() <= iiot::kMaxDecodeBytes && ++frames <= size + 1);
      (void)iiot::Decode(format, message, &m, nullptr);
    }
  }
  return 0;
}
