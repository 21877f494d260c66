// libFuzzer target: arbitrary bytes as what an admin connection received. FrameRequest must
// never crash and keep its promises (request_framing_check.h).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "request_framing_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (!iiot::fuzz::RequestFramingProblem(bytes).empty()) __builtin_trap();
  return 0;
}
