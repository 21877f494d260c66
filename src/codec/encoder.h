// Encoder: turns a Reading into the bytes of one Kafka message value (JSON or Protobuf,
// docs/message.md). Each worker owns one encoder; the returned view points into the
// encoder's own buffer and stays valid until the next Encode call. Not thread-safe.
// Steady state never allocates: buffers are reused.
//
// Example:
//   auto enc = MakeEncoder(Format::kJson, fleet);
//   std::string_view value = enc->Encode(reading);
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "config/config.h"
#include "sim/fleet.h"
#include "sim/reading.h"

namespace iiot {

class Encoder {
 public:
  // fleet must outlive the encoder.
  explicit Encoder(const Fleet& fleet) : fleet_(fleet) {}
  virtual ~Encoder() = default;
  // Encodes r; the view is valid until the next call.
  virtual std::string_view Encode(const Reading& r) = 0;
  // The Kafka key for r: the device id. Valid until the next call to Key or Encode.
  std::string_view Key(const Reading& r) { return DeviceId(r.device); }

 protected:
  // The device's id ("plant1-b03-f02-r014-d04826"), formatted once for a message's key and
  // value: the last one formatted is kept. Valid until a call for another device.
  std::string_view DeviceId(uint64_t device);

  // A short constant run of bytes, copied whole with one fixed-size copy (two vector moves,
  // where a copy of a run-time size is a call); the bytes past `size` are overwritten by
  // what follows, so an output buffer keeps kPieceBytes spare.
  static constexpr size_t kPieceBytes = 32;
  struct Piece {
    std::array<char, kPieceBytes> bytes{};
    size_t size = 0;
  };
  // s must be at most kPieceBytes long (our own literals: sensor names, units).
  static Piece MakePiece(std::string_view s);
  static char* PutPiece(char* p, const Piece& piece) {
    std::memcpy(p, piece.bytes.data(), kPieceBytes);
    return p + piece.size;
  }

  const Fleet& fleet_;

 private:
  std::array<char, Fleet::kMaxIdLength> id_{};
  size_t id_length_ = 0;
  uint64_t id_device_ = 0;  // 0: none yet (devices are numbered from 1)
};

// fleet must outlive the encoder.
std::unique_ptr<Encoder> MakeEncoder(Format format, const Fleet& fleet);

}  // namespace iiot
