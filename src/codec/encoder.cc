#include "codec/encoder.h"

#include <cstdlib>
#include <cstring>

#include "codec/json_encoder.h"
#include "codec/protobuf_encoder.h"

namespace iiot {

std::string_view Encoder::DeviceId(uint64_t device) {
  if (device != id_device_ || id_length_ == 0) {
    id_length_ = fleet_.FormatId(device, id_.data());
    id_device_ = device;
  }
  return {id_.data(), id_length_};
}

Encoder::Piece Encoder::MakePiece(std::string_view s) {
  Piece piece;
  if (s.size() > kPieceBytes) std::abort();  // a programming error: our literals are short
  std::memcpy(piece.bytes.data(), s.data(), s.size());
  piece.size = s.size();
  return piece;
}

std::unique_ptr<Encoder> MakeEncoder(Format format, const Fleet& fleet) {
  switch (format) {
    case Format::kJson:
      return std::make_unique<JsonEncoder>(fleet);
    case Format::kProtobuf:
      return std::make_unique<ProtobufEncoder>(fleet);
  }
  return std::make_unique<JsonEncoder>(fleet);
}

}  // namespace iiot
