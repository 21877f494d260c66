// Loading and validating a Config from its three sources, with the precedence
// flags > environment (IIOT_*) > YAML file > defaults, and errors that name the key path,
// the bad value and what is allowed. Loading is start-up (and reload) work: it may throw.
//
// Example:
//   ConfigSources src;
//   src.file = "config/default.yaml";
//   src.env = CurrentEnvironment();
//   src.overrides = {{"fleet.devices", "100"}, {"run.mode", "max"}};
//   Config cfg = LoadConfig(src);   // throws ConfigError
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "config/config.h"

namespace iiot {

// A configuration problem. what() is the full human message, e.g.
//   config.yaml:12:3: kafka.compression: "gzipp" is not one of none|gzip|snappy|lz4|zstd
//   IIOT_FLEET_DEVICES: fleet.devices: "ten" is not an unsigned integer
//   --devices: fleet.devices: 0 is out of range 1..10000000
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string key_path, std::string where, const std::string& message);
  // Dotted key path ("kafka.compression"); empty for file-level errors (unreadable, syntax).
  const std::string& key_path() const { return key_path_; }
  // "file:line:col", "IIOT_X", "--flag" or "" (defaults / cross-field checks).
  const std::string& where() const { return where_; }
  // The message without the key path and location ("\"gzipp\" is not one of ...").
  const std::string& message() const { return message_; }

 private:
  std::string key_path_;
  std::string where_;
  std::string message_;
};

struct ConfigSources {
  std::optional<std::string> file;         // YAML file path
  std::map<std::string, std::string> env;  // only IIOT_* entries are read
  // Key path -> value as text, applied last, in order. `where` names the flag for errors.
  struct Override {
    std::string key_path;
    std::string value;
    std::string where;  // e.g. "--devices"
  };
  std::vector<Override> overrides;
};

// A command-line flag that sets one config key. The loader parses and validates its text
// (as a ConfigSources::Override with where = flag), so a bad value is reported the same
// way as in a file ("--devices: fleet.devices: ...").
struct KeyFlag {
  const char* flag;  // "--devices"
  const char* key;   // "fleet.devices"
  const char* help;  // for --help
};

// The IIOT_* variables of this process's environment.
std::map<std::string, std::string> CurrentEnvironment();

// The sources a command line names (the run and `verify`): the file `config_file` (from
// -c/--config) or, when that is empty, the file IIOT_CONFIG names (if set and not empty);
// CurrentEnvironment() without IIOT_CONFIG; and `flags`, the key flags given, as the
// overrides in their order.
ConfigSources CommandLineSources(const std::string& config_file,
                                 std::vector<ConfigSources::Override> flags);

// Builds the effective config: defaults, then file, env, overrides; then Validate.
// Throws ConfigError on the first problem.
Config LoadConfig(const ConfigSources& sources);
// The same from YAML text in memory instead of sources.file (no environment, no flags);
// `name` stands for the file in error locations ("name:line:col"). Throws ConfigError.
Config LoadConfigFromText(std::string_view yaml, const std::string& name);

// Cross-field and range checks (also run by LoadConfig). Throws ConfigError.
void Validate(const Config& cfg);

// Parses "2026-01-01T00:00:00Z" / "2026-01-01T00:00:00.250Z" / "2026-01-01" (UTC) or
// "now" (nullopt). Anything else: a Failure saying what a timestamp looks like.
Result<std::optional<UnixMillis>> ParseTimestamp(const std::string& text);
// Parses "250ms", "5s", "2m", "1h", "1d" or a bare number of seconds ("1.5" = 1500ms).
// Anything else (negative, not whole milliseconds, > 100 years): a Failure saying why.
Result<Millis> ParseDuration(const std::string& text);

// The inverses, as ToYaml writes them: "250ms", "5s", "2m", "1h", "1d" (the largest unit that
// divides exactly), and "2026-01-01T00:00:00Z" / "2026-01-01T00:00:00.250Z".
std::string FormatDuration(Millis d);
std::string FormatTimestamp(UnixMillis t);

// The effective config as YAML (every key, secrets redacted), loadable by LoadConfig.
std::string ToYaml(const Config& cfg);

// The dotted paths of the keys whose values differ between `a` and `b`, in the order of
// ToYaml ("run.rate", "kafka.properties"). Secret keys are compared by value but only
// their paths are returned ("admin.token"). Empty when a == b, and for configs from
// LoadConfig only then (fields no key sets, such as the switch's unused mean, are ignored).
std::vector<std::string> ChangedKeys(const Config& a, const Config& b);

}  // namespace iiot
