// LoadConfig: defaults < YAML file < IIOT_* environment < overrides, then the secret files
// (admin.token_file, kafka.sasl_password_file), then Validate.
#include "config/config_loader.h"

#include "base/text.h"
#include "config/internal/key_registry.h"
#include "config/internal/sources.h"

namespace iiot {

namespace {

std::string Join(const std::string& key_path, const std::string& where,
                 const std::string& message) {
  std::string out = where;
  for (const std::string* part : {&key_path, &message}) {
    if (part->empty()) continue;
    if (!out.empty()) out += ": ";
    out += *part;
  }
  return out;
}

}  // namespace

ConfigError::ConfigError(std::string key_path, std::string where, const std::string& message)
    : std::runtime_error(text::Printable(Join(key_path, where, message))),
      key_path_(text::Printable(key_path)),
      where_(text::Printable(where)),
      message_(text::Printable(message)) {}

namespace {

// Every source after the file, then the token file and Validate.
Config Finish(Config cfg, config_keys::Provenance& provenance, const ConfigSources& sources) {
  config_keys::ApplyEnvironment(sources.env, cfg, provenance);
  bool interval_overridden = false;
  for (const ConfigSources::Override& o : sources.overrides) {
    config_keys::ApplyOverride(o, cfg, provenance);
    interval_overridden = interval_overridden || o.key_path == "run.interval";
  }
  // `--interval 2s` means every device every 2 s: the profiles' own intervals give way.
  if (interval_overridden) {
    for (Profile& p : cfg.fleet.profiles) p.interval.reset();
  }
  config_keys::ApplyTokenFile(cfg, provenance);
  config_keys::ApplySaslPasswordFile(cfg, provenance);
  try {
    Validate(cfg);
  } catch (const ConfigError& e) {
    // Say which source set the offending key, when one did.
    const std::string key = e.key_path().substr(0, e.key_path().find('['));
    const auto it = provenance.find(key);
    if (e.where().empty() && it != provenance.end()) {
      throw ConfigError(e.key_path(), it->second, e.message());
    }
    throw;
  }
  return cfg;
}

Config Defaults() {
  Config cfg;
  cfg.fleet.profiles = DefaultProfiles();
  return cfg;
}

}  // namespace

Config LoadConfig(const ConfigSources& sources) {
  Config cfg = Defaults();
  config_keys::Provenance provenance;
  if (sources.file) config_keys::ApplyYamlFile(*sources.file, cfg, provenance);
  return Finish(std::move(cfg), provenance, sources);
}

Config LoadConfigFromText(std::string_view yaml, const std::string& name) {
  Config cfg = Defaults();
  config_keys::Provenance provenance;
  config_keys::ApplyYamlText(yaml, name, cfg, provenance);
  return Finish(std::move(cfg), provenance, ConfigSources{});
}

void Validate(const Config& cfg) {
  for (const config_keys::Key& key : config_keys::AllKeys()) {
    try {
      key.check(cfg);
    } catch (const config_keys::ValueError& e) {
      throw ConfigError(e.path().empty() ? key.path : e.path(), "", e.what());
    }
  }
  config_keys::CheckCrossField(cfg);
}

}  // namespace iiot
