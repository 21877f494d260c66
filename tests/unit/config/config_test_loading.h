// Loading helpers shared by the config tests: the defaults as LoadConfig gives them, a load
// from YAML text (and variables and flags), and whether a YAML tree holds a dotted path.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_loader.h"
#include "config_test_files.h"

namespace iiot {

inline Config Defaults() {
  Config cfg;
  cfg.fleet.profiles = DefaultProfiles();
  return cfg;
}

inline Config LoadText(std::string_view yaml, std::map<std::string, std::string> env = {},
                       std::vector<ConfigSources::Override> overrides = {}) {
  TempFile file(yaml);
  ConfigSources src;
  src.file = file.path();
  src.env = std::move(env);
  src.overrides = std::move(overrides);
  return LoadConfig(src);
}

// True when the YAML map holds the dotted path ("kafka.linger_ms").
inline bool HasPath(const YAML::Node& node, std::string_view path) {
  const size_t dot = path.find('.');
  if (!node.IsMap()) return false;
  const YAML::Node child = node[std::string(path.substr(0, dot))];
  if (!child.IsDefined()) return false;
  return dot == std::string_view::npos || HasPath(child, path.substr(dot + 1));
}

}  // namespace iiot
