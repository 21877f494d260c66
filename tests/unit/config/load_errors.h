// The ConfigError a load throws, for config tests that check what an error says.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>

#include "config/config_loader.h"

namespace iiot {

// The ConfigError LoadConfig throws for these sources; fails the test when none.
inline ConfigError ErrorOf(const ConfigSources& src) {
  try {
    (void)LoadConfig(src);
  } catch (const ConfigError& e) {
    return e;
  }
  ADD_FAILURE() << "loaded without error";
  return ConfigError("", "", "");
}

// The same for an environment alone (no file, no flags).
inline ConfigError ErrorOfEnv(std::map<std::string, std::string> env) {
  ConfigSources src;
  src.env = std::move(env);
  return ErrorOf(src);
}

}  // namespace iiot
