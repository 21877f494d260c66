// The table of configuration keys: one entry per settable key ("kafka.linger_ms"), giving
// its type, allowed values, one-line doc, and how to parse, check and show it. The YAML
// file, the IIOT_* environment, flag overrides, Validate and ToYaml all go through this
// table, so a key behaves the same whatever its source. Internal to src/config/.
//
// The table is built once on first use and never changes: safe to read from any thread.
//
// Example:
//   const Key* key = FindKey("fleet.devices");
//   key->assign(cfg, SourceValue{nullptr, "100"});   // throws ValueError
//   key->check(cfg);                                 // throws ValueError
#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace iiot::config_keys {

// One value as a source gives it: a YAML node from the file (node != nullptr), or text
// from an IIOT_* variable or a flag.
struct SourceValue {
  const YAML::Node* node = nullptr;
  std::string_view text;
};

// What is wrong with one value, without saying where it came from: the source adds that
// and turns it into a ConfigError. `path` replaces the key's path for a problem inside a
// structured value ("fleet.profiles[2].weight"); `mark` is that inner value's position in
// the YAML text, when known.
class ValueError : public std::runtime_error {
 public:
  explicit ValueError(const std::string& message, std::string path = {},
                      std::optional<YAML::Mark> mark = std::nullopt)
      : std::runtime_error(message), path_(std::move(path)), mark_(mark) {}
  const std::string& path() const { return path_; }
  const std::optional<YAML::Mark>& mark() const { return mark_; }

 private:
  std::string path_;
  std::optional<YAML::Mark> mark_;
};

// One configuration key. Immutable once in the table; its functions keep no state, so
// any thread may call them (on configs it owns).
struct Key {
  std::string path;     // "kafka.linger_ms"
  std::string type;     // "unsigned integer", "duration", "one of none|gzip|snappy|lz4|zstd"
  std::string allowed;  // "0..900000", "[0, 1]"; empty when the type says it all
  std::string doc;      // one line, for docs and `did you mean`
  // Parses the value and stores it into the config. Throws ValueError.
  std::function<void(Config&, const SourceValue&)> assign;
  // Checks the stored value against `allowed` (Validate, and after every assign).
  // Throws ValueError.
  std::function<void(const Config&)> check;
  // The stored value as YAML: one line ("5s", "\"plant1\"", "[a, b]"), or several lines
  // starting with '\n' for block values (profiles, properties); loadable by assign.
  std::function<std::string(const Config&)> show;
  // For keys whose `show` hides secrets: true when the two configs hold the same value.
  // Empty for every other key, whose values are equal exactly when `show` gives the same text.
  std::function<bool(const Config&, const Config&)> same;
};

// Every key, in document order (sections are contiguous).
const std::vector<Key>& AllKeys();

// The key with this exact dotted path, or nullptr.
const Key* FindKey(std::string_view path);

// True when `path` is a section holding keys ("kafka", "sensors.temperature").
bool IsSection(std::string_view path);

// Names valid directly under a section ("" for the top level): keys and sub-sections.
std::vector<std::string> ChildNames(std::string_view section);

// "kafka.linger_ms" -> "IIOT_KAFKA_LINGER_MS".
std::string EnvName(std::string_view path);

// Parses the value into cfg, then checks it; the step every source takes for a key.
inline void AssignAndCheck(const Key& key, Config& cfg, const SourceValue& value) {
  key.assign(cfg, value);
  key.check(cfg);
}

}  // namespace iiot::config_keys
