// The three sources a Config is loaded from, applied in order by LoadConfig
// (config_loader.cc): YAML file, IIOT_* environment, flag overrides; then the token file.
// Each parses values through the key table (key_registry.h) and throws ConfigError naming
// where the bad value came from. Internal to src/config/. Stateless functions; thread-safe
// on distinct configs.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "config/config_loader.h"
#include "config/internal/key_kinds.h"

namespace iiot::config_keys {

// Where each key was last set ("config.yaml:3:12", "IIOT_RUN_RATE", "--rate"), so checks
// that run after every source can still say where a value came from.
using Provenance = std::map<std::string, std::string>;

// Reads the file at `path` (missing, unreadable, > 16 MiB: ConfigError naming the path).
void ApplyYamlFile(const std::string& path, Config& cfg, Provenance& provenance);
// Applies YAML text; `name` stands for the file in locations ("name:line:col").
void ApplyYamlText(std::string_view text, const std::string& name, Config& cfg,
                   Provenance& provenance);

// Applies every IIOT_* entry; other names are ignored, unknown IIOT_* names are errors.
void ApplyEnvironment(const std::map<std::string, std::string>& env, Config& cfg,
                      Provenance& provenance);
// True for names the environment source skips: IIOT_CONFIG, and the variables Kubernetes
// adds for a Service whose name starts with "iiot" (IIOT_PRODUCER_SERVICE_HOST, ...).
bool IsIgnoredVariable(std::string_view name);

void ApplyOverride(const ConfigSources::Override& o, Config& cfg, Provenance& provenance);

// Reads a secret from the file its `<path>_file` key names, when it names one (after every
// other source; secret_key.cc). ConfigError naming the file key and the path, never the
// content: the file is unreadable or holds no valid value, or the secret is set as well.
void ApplySecretFile(const Secret& s, Config& cfg, const Provenance& provenance);
// ApplySecretFile for admin.token (operating_keys.cc) and kafka.sasl_password
// (security_keys.cc).
void ApplyTokenFile(Config& cfg, const Provenance& provenance);
void ApplySaslPasswordFile(Config& cfg, const Provenance& provenance);
// The content of the file at `path` (at most 64 KiB); ConfigError naming key_path, `where`
// and the path (never the content) when it cannot be read.
std::string ReadSecretFile(const std::string& key_path, const std::string& path,
                           const std::string& where);

// Checks between keys (min < max, backfill range, sink=file needs a path...). Throws
// ConfigError with an empty where().
void CheckCrossField(const Config& cfg);
// The kafka.security_protocol, kafka.sasl_* and kafka.tls_* keys together: what the
// protocol requires, files that must be readable (security_keys.cc). Throws ConfigError.
void CheckSecurity(const Config& cfg);

}  // namespace iiot::config_keys
