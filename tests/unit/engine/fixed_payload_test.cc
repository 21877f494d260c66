// Generation off (output.payload_bytes): the same reports, keys and count as a realistic
// run, each value the same fixed block.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "config/config_loader.h"
#include "engine/worker_pool.h"
#include "recording_sink.h"

namespace iiot {
namespace {

constexpr UnixMillis kStart = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

Config MaxMode(uint32_t payload_bytes) {
  Config cfg;
  cfg.fleet.devices = 300;
  cfg.fleet.profiles = DefaultProfiles();
  cfg.run.mode = Mode::kMax;
  cfg.run.start = kStart;
  cfg.run.count = 2000;
  cfg.run.threads = 1;
  cfg.output.payload_bytes = payload_bytes;
  Validate(cfg);
  return cfg;
}

std::vector<std::pair<std::string, std::string>> RunToEnd(const Config& cfg) {
  const Fleet fleet(cfg);
  testing::RecordingSink sink;
  WorkerPool pool(cfg, fleet, sink);
  EXPECT_TRUE(pool.Start().has_value());
  pool.Join();
  EXPECT_EQ(pool.Generated(), sink.size());
  return sink.messages();
}

TEST(FixedPayload, EveryValueIsTheSameBlockOfTheGivenSize) {
  const auto messages = RunToEnd(MaxMode(300));
  ASSERT_EQ(messages.size(), 2000u);
  const std::string& first = messages.front().second;
  EXPECT_EQ(first.size(), 300u);
  EXPECT_EQ(first.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), std::string::npos) << first;
  for (const auto& [key, value] : messages) ASSERT_EQ(value, first);
}

TEST(FixedPayload, KeysAreThoseOfTheRealisticRunInTheSameOrder) {
  const auto realistic = RunToEnd(MaxMode(0));
  const auto fixed = RunToEnd(MaxMode(64));
  ASSERT_EQ(realistic.size(), fixed.size());
  for (size_t i = 0; i < fixed.size(); ++i) ASSERT_EQ(fixed[i].first, realistic[i].first) << i;
  EXPECT_EQ(realistic.front().first.rfind("plant1-b", 0), 0u) << realistic.front().first;
}

}  // namespace
}  // namespace iiot
