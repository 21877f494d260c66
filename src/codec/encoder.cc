#include "codec/encoder.h"

#include "codec/json_encoder.h"
#include "codec/protobuf_encoder.h"

namespace iiot {

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
