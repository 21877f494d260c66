// The IIOT_* environment source: each variable is matched by its whole name against the
// key table (IIOT_KAFKA_LINGER_MS is kafka.linger_ms), never by splitting on underscores.
#include <algorithm>
#include <cstdlib>
#include <unordered_map>

#include "base/edit_distance.h"
#include "config/internal/key_registry.h"
#include "config/internal/sources.h"

extern char** environ;

namespace iiot {

std::map<std::string, std::string> CurrentEnvironment() {
  std::map<std::string, std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    if (text.rfind("IIOT_", 0) != 0) continue;
    const size_t eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
  }
  return env;
}

ConfigSources CommandLineSources(const std::string& config_file,
                                 std::vector<ConfigSources::Override> flags) {
  ConfigSources src;
  if (!config_file.empty()) {
    src.file = config_file;
  } else if (const char* env_file = std::getenv("IIOT_CONFIG"); env_file && *env_file) {
    src.file = env_file;
  }
  src.env = CurrentEnvironment();
  src.env.erase("IIOT_CONFIG");
  src.overrides = std::move(flags);
  return src;
}

namespace config_keys {

namespace {

// Variable name -> key; built once, immutable.
const std::unordered_map<std::string, const Key*>& KeysByVariable() {
  static const std::unordered_map<std::string, const Key*> map = [] {
    std::unordered_map<std::string, const Key*> m;
    for (const Key& key : AllKeys()) m[EnvName(key.path)] = &key;
    return m;
  }();
  return map;
}

std::vector<std::string> VariableNames() {
  std::vector<std::string> names;
  for (const Key& key : AllKeys()) names.push_back(EnvName(key.path));
  return names;
}

}  // namespace

bool IsIgnoredVariable(std::string_view name) {
  if (name == "IIOT_CONFIG") return true;
  // Kubernetes service links for a Service named iiot or iiot-*:
  //   IIOT[_<SVC>]_SERVICE_HOST, IIOT[_<SVC>]_SERVICE_PORT[_<NAME>], IIOT[_<SVC>]_PORT,
  //   IIOT[_<SVC>]_PORT_<n>_<TCP|UDP|SCTP>[_PROTO|_PORT|_ADDR]
  // where <SVC> and <NAME> are A-Z 0-9 _. Plain code, linear in the name: no input reaches
  // a recursive matcher, however long.
  constexpr std::string_view kPrefix = "IIOT";
  if (name.substr(0, kPrefix.size()) != kPrefix) return false;
  const std::string_view rest = name.substr(kPrefix.size());
  const auto word_char = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  if (!std::all_of(rest.begin(), rest.end(), word_char)) return false;
  // What precedes a suffix: nothing, or "_" and at least one more character.
  const auto service = [&rest](size_t end) { return end == 0 || (end >= 2 && rest[0] == '_'); };
  const auto digits = [](std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  for (size_t at = 0; at < rest.size(); ++at) {
    if (rest[at] != '_' || !service(at)) continue;
    const std::string_view tail = rest.substr(at + 1);
    if (tail == "SERVICE_HOST" || tail == "SERVICE_PORT" || tail == "PORT") return true;
    if (tail.substr(0, 13) == "SERVICE_PORT_" && tail.size() > 13) return true;
    if (tail.substr(0, 5) != "PORT_") continue;
    // PORT_<n>_<PROTO>[_PROTO|_PORT|_ADDR]
    const std::string_view port = tail.substr(5);
    const size_t sep = port.find('_');
    if (sep == std::string_view::npos || !digits(port.substr(0, sep))) continue;
    const std::string_view proto = port.substr(sep + 1);
    for (std::string_view p : {"TCP", "UDP", "SCTP"}) {
      if (proto.substr(0, p.size()) != p) continue;
      const std::string_view after = proto.substr(p.size());
      if (after.empty() || after == "_PROTO" || after == "_PORT" || after == "_ADDR") return true;
    }
  }
  return false;
}

void ApplyEnvironment(const std::map<std::string, std::string>& env, Config& cfg,
                      Provenance& provenance) {
  for (const auto& [name, value] : env) {
    if (name.rfind("IIOT_", 0) != 0 || IsIgnoredVariable(name)) continue;
    const auto it = KeysByVariable().find(name);
    if (it == KeysByVariable().end()) {
      if (name.rfind("IIOT_KAFKA_PROPERTIES_", 0) == 0) {
        throw ConfigError("", name,
                          "unknown variable: kafka.properties entries cannot be set one by one; "
                          "use IIOT_KAFKA_PROPERTIES='{name: value, ...}' or the config file");
      }
      throw ConfigError("", name, "unknown variable" + DidYouMean(name, VariableNames()));
    }
    const Key& key = *it->second;
    try {
      AssignAndCheck(key, cfg, SourceValue{nullptr, value});
    } catch (const ValueError& e) {
      throw ConfigError(e.path().empty() ? key.path : e.path(), name, e.what());
    }
    provenance[key.path] = name;
  }
}

void ApplyOverride(const ConfigSources::Override& o, Config& cfg, Provenance& provenance) {
  const Key* key = FindKey(o.key_path);
  if (key == nullptr) {
    std::vector<std::string> paths;
    for (const Key& k : AllKeys()) paths.push_back(k.path);
    throw ConfigError(o.key_path, o.where, "unknown key" + DidYouMean(o.key_path, paths));
  }
  try {
    AssignAndCheck(*key, cfg, SourceValue{nullptr, o.value});
  } catch (const ValueError& e) {
    throw ConfigError(e.path().empty() ? key->path : e.path(), o.where, e.what());
  }
  provenance[key->path] = o.where;
}

}  // namespace config_keys
}  // namespace iiot
