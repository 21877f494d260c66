// libFuzzer target: arbitrary bytes as a YAML config file. A ConfigError is the expected
// answer to bad input; a round trip through ToYaml that changes the config traps; any other
// exception, crash or sanitizer report is a bug (scripts/fuzz.sh, docs/testing.md).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string_view>

#include "config_roundtrip.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string problem = iiot::fuzz::ConfigRoundTripProblem(text);
  if (!problem.empty()) {
    std::fprintf(stderr, "config round trip: %s\n", problem.c_str());
    __builtin_trap();
  }
  return 0;
}
