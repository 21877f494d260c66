// Hostile config files: deep nesting, a megabyte of garbage, huge values. Each is a
// ConfigError with a short message, never a crash or a hang.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "config/config_loader.h"

namespace iiot {
namespace {

Config Load(const std::string& yaml) { return LoadConfigFromText(yaml, "hostile.yaml"); }

TEST(ConfigRobustness, DeepNestingIsAnErrorNotACrash) {
  EXPECT_THROW(Load("fleet: " + std::string(100'000, '[')), ConfigError);
  EXPECT_THROW(Load("fleet: " + std::string(100'000, '{')), ConfigError);
  std::string nested = "fleet:\n";
  for (int depth = 1; depth <= 500; ++depth) nested += std::string(2 * depth, ' ') + "k:\n";
  EXPECT_THROW(Load(nested), ConfigError);
  std::string flow;
  for (int i = 0; i < 10'000; ++i) flow += "{a: ";
  EXPECT_THROW(Load(flow), ConfigError);
}

TEST(ConfigRobustness, MegabyteOfGarbageIsAnErrorNotACrash) {
  std::mt19937 rng(12345);
  std::string bytes(1 << 20, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  EXPECT_THROW(Load(bytes), ConfigError);
  std::string printable(1 << 20, ' ');
  for (char& c : printable) c = static_cast<char>(' ' + rng() % 95);
  EXPECT_THROW(Load(printable), ConfigError);
  std::string repeated;
  while (repeated.size() < (1u << 20)) repeated += "fleet: {devices: [x, {y: z}]}\n";
  EXPECT_THROW(Load(repeated), ConfigError);
}

TEST(ConfigRobustness, HugeValuesAreShortenedInMessages) {
  try {
    Load("kafka:\n  topic: " + std::string(1 << 20, 'x') + "\n");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_LT(std::string(e.what()).size(), 400u);
    EXPECT_EQ(e.key_path(), "kafka.topic");
  }
}

}  // namespace
}  // namespace iiot
