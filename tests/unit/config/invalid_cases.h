// Invalid configurations as test cases: the sources of one load (file text, IIOT_*
// variables, flags) and what its ConfigError message must contain. Used by
// config_file_errors_test.cc and config_errors_test.cc.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config_loader.h"
#include "config_test_files.h"

namespace iiot {

struct InvalidCase {
  const char* name;
  std::optional<std::string> yaml;  // written to a temp file when set
  std::map<std::string, std::string> env;
  std::vector<ConfigSources::Override> overrides;
  std::vector<std::string> expected;  // substrings of what(): key path, bad value, line:col
};

// The message of the ConfigError LoadConfig throws, or "" when it loads.
inline std::string ErrorOf(const InvalidCase& c) {
  std::optional<TempFile> file;
  ConfigSources src;
  if (c.yaml) {
    file.emplace(*c.yaml);
    src.file = file->path();
  }
  src.env = c.env;
  src.overrides = c.overrides;
  try {
    (void)LoadConfig(src);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

// Every case fails to load, and its message holds each expected part.
inline void ExpectEveryCaseFails(const std::vector<InvalidCase>& cases) {
  for (const InvalidCase& c : cases) {
    const std::string what = ErrorOf(c);
    ASSERT_FALSE(what.empty()) << c.name << ": loaded without error";
    for (const std::string& part : c.expected) {
      EXPECT_NE(what.find(part), std::string::npos)
          << c.name << ":\n  message:  " << what << "\n  expected: " << part;
    }
  }
}

}  // namespace iiot
