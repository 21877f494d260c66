// The property the config fuzzer checks (tests/fuzz/config_fuzzer.cc), shared with the unit
// test that replays its corpus (tests/unit/config/fuzz_corpus_test.cc): any YAML text is
// either rejected with a ConfigError, or loads, validates, and its ToYaml dump loads back to
// an equal Config whose dump is the same text again. Secrets come back as "<redacted>", as
// ToYaml writes them. Any other exception escapes to the caller: a bug.
// Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "config/config.h"
#include "config/config_loader.h"

namespace iiot::fuzz {

// "" when `text` is rejected with a ConfigError or round-trips; otherwise what went wrong.
inline std::string ConfigRoundTripProblem(std::string_view text) {
  Config cfg;
  try {
    cfg = LoadConfigFromText(text, "input.yaml");
  } catch (const ConfigError&) {
    return "";  // rejected: the expected outcome for most inputs
  }
  Validate(cfg);  // LoadConfig validated: a ConfigError here escapes as a bug
  const std::string dump = ToYaml(cfg);
  Config back;
  try {
    back = LoadConfigFromText(dump, "dump.yaml");
  } catch (const ConfigError& e) {
    return std::string("the dump does not load: ") + e.what() + "\n" + dump;
  }
  // What ToYaml hides loads back as the text "<redacted>".
  Config expected = cfg;
  if (back.admin.token == "<redacted>") expected.admin.token = back.admin.token;
  for (auto& [name, value] : expected.kafka.properties) {
    const auto it = back.kafka.properties.find(name);
    if (it != back.kafka.properties.end() && it->second == "<redacted>") value = it->second;
  }
  if (!(back == expected)) {
    std::string changed;
    for (const std::string& path : ChangedKeys(expected, back)) changed += " " + path;
    return "the dump loads back to a different config (keys:" + changed + ")\n" + dump;
  }
  const std::string again = ToYaml(back);
  if (again != dump) return "the dump of the reloaded config differs:\n" + dump + "---\n" + again;
  return "";
}

}  // namespace iiot::fuzz
