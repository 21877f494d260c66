// The IIOT_* environment source: each variable is matched by its whole name against the
// key table (IIOT_KAFKA_LINGER_MS is kafka.linger_ms), never by splitting on underscores.
#include <cstdlib>
#include <regex>
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
  // Kubernetes service links: <SVC>_SERVICE_HOST, <SVC>_SERVICE_PORT[_<NAME>], <SVC>_PORT,
  // <SVC>_PORT_<n>_<PROTO>[_PROTO|_PORT|_ADDR] for a Service named iiot or iiot-*.
  static const std::regex kServiceLink(
      "IIOT(_[A-Z0-9_]+)?_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|"
      "PORT(_[0-9]+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)?)");
  return std::regex_match(name.begin(), name.end(), kServiceLink);
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
