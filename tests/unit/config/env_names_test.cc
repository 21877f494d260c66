// The IIOT_* variable names: Kubernetes service links are recognised by plain code that
// agrees with the pattern they follow (checked against std::regex on short names, where a
// regex is safe), and names of any length are handled without recursion: a 1 MB name
// neither crashes nor takes long, and gets the usual "unknown variable" error.
#include <gtest/gtest.h>

#include <random>
#include <regex>
#include <string>

#include "config/config_loader.h"
#include "config/internal/sources.h"

namespace iiot {
namespace {

TEST(EnvNames, ServiceLinksAreThoseOfThePattern) {
  // The documented pattern, as a regex: fine as an oracle on names of a few dozen characters.
  const std::regex pattern(
      "IIOT(_[A-Z0-9_]+)?_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|"
      "PORT(_[0-9]+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)?)");
  const std::vector<std::string> parts = {"_",     "SERVICE", "HOST", "PORT", "TCP", "UDP", "SCTP",
                                          "PROTO", "ADDR",    "8080", "X",    "a",   "-",   "P"};
  std::mt19937 rng(5);
  int links = 0;
  for (int i = 0; i < 200'000; ++i) {
    std::string name = "IIOT";
    const int n = static_cast<int>(rng() % 8);
    for (int k = 0; k < n; ++k) name += parts[rng() % parts.size()];
    const bool want = std::regex_match(name, pattern);
    links += want;
    ASSERT_EQ(config_keys::IsIgnoredVariable(name), want) << name;
  }
  EXPECT_GT(links, 100);
  for (const char* name : {"IIOT_PORT", "IIOT_SERVICE_HOST", "IIOT_PRODUCER_SERVICE_PORT_HTTP",
                           "IIOT_PRODUCER_PORT_8080_TCP_ADDR", "IIOT_A_PORT_1_SCTP"}) {
    EXPECT_TRUE(config_keys::IsIgnoredVariable(name)) << name;
  }
  for (const char* name : {"IIOT__PORT", "IIOT_PORT_8080_TCP_HOST", "IIOT_RUN_RATE",
                           "IIOT_PRODUCER_SERVICE_PORT_", "IIOT_x_PORT"}) {
    EXPECT_FALSE(config_keys::IsIgnoredVariable(name)) << name;
  }
}

TEST(EnvNames, AVeryLongNameIsAnUnknownVariableNotACrash) {
  for (const std::string& tail : {std::string(1 << 20, 'A'), std::string(1 << 20, '_') + "PORT",
                                  "_" + std::string(1 << 20, '1') + "_PORT_1_TCP"}) {
    const std::string name = "IIOT_" + tail;
    ConfigSources src;
    src.env = {{name, "1"}};
    if (config_keys::IsIgnoredVariable(name)) {
      EXPECT_NO_THROW(LoadConfig(src));
      continue;
    }
    try {
      LoadConfig(src);
      ADD_FAILURE() << "accepted a variable of " << name.size() << " characters";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("unknown variable"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace iiot
