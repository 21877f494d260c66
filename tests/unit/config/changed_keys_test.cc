// ChangedKeys: the keys a reload changes, in table order, secrets compared but not shown.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/config_loader.h"
#include "config/internal/key_registry.h"
#include "config_test_files.h"

namespace iiot {
namespace {

using Paths = std::vector<std::string>;

Config Defaults() {
  Config cfg;
  cfg.fleet.profiles = DefaultProfiles();
  return cfg;
}

TEST(ChangedKeys, NoneForEqualConfigs) {
  EXPECT_EQ(ChangedKeys(Defaults(), Defaults()), Paths{});
  Config cfg = Defaults();
  cfg.admin.token = "t0ken";
  cfg.kafka.properties = {{"sasl.password", "pw"}};
  EXPECT_EQ(ChangedKeys(cfg, cfg), Paths{});
}

TEST(ChangedKeys, NamesEachChangedKeyInTableOrder) {
  const Config a = Defaults();
  Config b = a;
  b.alerts.window = Millis{60'000};
  b.fleet.devices = 7;
  b.run.rate = 12.5;
  b.sensors.params[static_cast<size_t>(SensorType::kHumidity)].max = 99;
  b.reload.debounce = Millis{0};
  EXPECT_EQ(ChangedKeys(a, b), (Paths{"fleet.devices", "sensors.humidity.max", "run.rate",
                                      "reload.debounce", "alerts.window"}));
  EXPECT_EQ(ChangedKeys(b, a), ChangedKeys(a, b));
}

TEST(ChangedKeys, StructuredValuesCompareAsAWhole) {
  const Config a = Defaults();
  Config b = a;
  b.fleet.profiles[2].weight = 3;
  b.kafka.brokers = {"k:9092"};
  b.run.shard_index = 1;
  b.run.shard_count = 2;
  b.run.duration = Millis{1000};
  EXPECT_EQ(ChangedKeys(a, b),
            (Paths{"fleet.profiles", "run.duration", "run.shard", "kafka.brokers"}));
}

TEST(ChangedKeys, SecretsAreComparedByValue) {
  Config a = Defaults();
  a.admin.token = "old-token";
  a.kafka.properties = {{"sasl.password", "old"}, {"sasl.username", "alice"}};
  Config b = a;
  b.admin.token = "new-token";
  b.kafka.properties["sasl.password"] = "new";
  // Both show as <redacted>, yet both changed.
  ASSERT_EQ(ToYaml(a), ToYaml(b));
  EXPECT_EQ(ChangedKeys(a, b), (Paths{"kafka.properties", "admin.token"}));
}

TEST(ChangedKeys, TokenFileSwapIsTwoChanges) {
  Config a = Defaults();
  a.admin.token_file = "/run/secrets/a";
  a.admin.token = "from-a";
  Config b = a;
  b.admin.token_file = "/run/secrets/b";
  b.admin.token = "from-b";
  EXPECT_EQ(ChangedKeys(a, b), (Paths{"admin.token", "admin.token_file"}));
}

TEST(ChangedKeys, EveryKeyIsSeenOnItsOwn) {
  // For each key, the first of these texts it accepts that changes its value.
  const std::vector<std::string> texts = {"1",
                                          "0",
                                          "0.25",
                                          "2",
                                          "2s",
                                          "2026-01-01",
                                          "true",
                                          "false",
                                          "x-1",
                                          "off",
                                          "1/2",
                                          "k:1",
                                          "{linger.ms: 7}",
                                          "[{name: x, sensors: [switch]}]",
                                          "max",
                                          "stdout",
                                          "protobuf",
                                          "drop",
                                          "gzip",
                                          "ssl",
                                          "plain",
                                          "debug",
                                          "room",
                                          "[{kind: power_loss, scope: b1, start: "
                                          "2026-01-01T00:00:00Z, duration: 1m}]"};
  const Config a = Defaults();
  for (const config_keys::Key& key : config_keys::AllKeys()) {
    if (key.path == "admin.token_file") continue;  // LoadConfig would read it; covered above
    bool changed = false;
    for (const std::string& text : texts) {
      Config b = a;
      try {
        key.assign(b, config_keys::SourceValue{nullptr, text});
      } catch (const config_keys::ValueError&) {
        continue;
      }
      if (b == a) continue;
      EXPECT_EQ(ChangedKeys(a, b), Paths{key.path}) << text;
      changed = true;
      break;
    }
    EXPECT_TRUE(changed) << key.path << ": no test value changes it";
  }
}

TEST(ChangedKeys, ReloadedFileReportsOnlyWhatTheEditChanged) {
  TempFile before("run:\n  rate: 10\n  mode: rate\nkafka:\n  topic: t1\n");
  TempFile after("run:\n  rate: 20\n  mode: rate\nkafka:\n  topic: t1\nlog:\n  level: debug\n");
  ConfigSources src;
  src.file = before.path();
  const Config a = LoadConfig(src);
  src.file = after.path();
  const Config b = LoadConfig(src);
  EXPECT_EQ(ChangedKeys(a, b), (Paths{"run.rate", "log.level"}));
}

}  // namespace
}  // namespace iiot
