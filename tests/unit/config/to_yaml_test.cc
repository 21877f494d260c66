// ToYaml: the effective config as YAML that LoadConfig reads back to the same config, every
// key written, secrets redacted.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>

#include "config/config_loader.h"
#include "config/internal/key_registry.h"
#include "config_test_loading.h"

namespace iiot {
namespace {

using config_keys::AllKeys;

constexpr UnixMillis kJan1 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

Config Unusual() {
  Config cfg = Defaults();
  cfg.fleet.devices = 1234;
  cfg.fleet.site = "site-9";
  cfg.fleet.profiles = {{"a", {SensorType::kCurrent, SensorType::kSwitch}, Millis{1500}, 0.3},
                        {"b.c", {SensorType::kHumidity}, std::nullopt, 7}};
  cfg.sensors.ema_alpha = 0.1 + 0.2;  // not exactly 0.3: must survive the round trip
  cfg.sensors.trend_enabled = false;
  cfg.sensors.params[0].min = -40.125;
  cfg.sensors.params[3].p_on = 0.33;
  cfg.anomalies.spike = 1e-7;
  cfg.run.mode = Mode::kBackfill;
  cfg.run.interval = Millis{1250};
  cfg.run.from = kJan1 + 1;
  cfg.run.to = kJan1 + 86'400'000;
  cfg.run.start = kJan1 - 5;
  cfg.run.duration = Millis{61'000};
  cfg.run.count = 18'446'744'073'709'551'615ULL;
  cfg.run.seed = 0;
  cfg.run.shard_index = 2;
  cfg.run.shard_count = 5;
  cfg.output.sink = SinkKind::kFile;
  cfg.output.file = "out dir/\"quoted\" \\ file.jsonl";
  cfg.output.format = Format::kProtobuf;
  cfg.kafka.brokers = {"k1:9092", "[::1]:9093"};
  cfg.kafka.client_id = "id: with # yaml ~ chars";
  cfg.kafka.acks = -1;
  cfg.kafka.compression = Compression::kSnappy;
  cfg.kafka.properties = {{"socket.timeout.ms", "1000"}, {"ssl.ca.pem", "-----BEGIN\nX\n-----END"}};
  cfg.incidents.schedule = {
      {IncidentKind::kHvacFailure, ScopeLevel::kRoom, 2, 3, 4, 1'767'261'600'000,
       Millis{5'400'000}},
      {IncidentKind::kPowerLoss, ScopeLevel::kSite, 0, 0, 0, 1'767'225'600'123, Millis{61'000}}};
  cfg.incidents.kinds[1].scope = ScopeLevel::kRoom;
  cfg.log.level = "debug";
  return cfg;
}

TEST(ToYaml, RoundTripsTheDefaults) { EXPECT_EQ(LoadText(ToYaml(Defaults())), Defaults()); }

TEST(ToYaml, RoundTripsEveryKindOfValue) {
  const Config cfg = Unusual();
  ASSERT_NO_THROW(Validate(cfg));
  const std::string yaml = ToYaml(cfg);
  Config back;
  ASSERT_NO_THROW(back = LoadText(yaml)) << yaml;
  EXPECT_EQ(back, cfg) << yaml;
  EXPECT_EQ(ToYaml(back), yaml);
}

TEST(ToYaml, RoundTripsTheLongestPropertyName) {
  // YAML caps an implicit key at 1024 characters; the property-name rule keeps every name
  // that loads well inside it, escaped or not.
  Config cfg = Defaults();
  const std::string name = "a." + std::string(124, 'x') + "_-";
  cfg.kafka.properties = {{name, std::string(5000, 'v')}};
  ASSERT_NO_THROW(Validate(cfg));
  const std::string yaml = ToYaml(cfg);
  EXPECT_EQ(LoadText(yaml), cfg);
  cfg.kafka.properties = {{name + "x", "v"}};
  EXPECT_THROW(Validate(cfg), ConfigError);
}

TEST(ToYaml, WritesEveryKey) {
  const std::string yaml = ToYaml(Defaults());
  const YAML::Node root = YAML::Load(yaml);
  for (const auto& key : AllKeys()) EXPECT_TRUE(HasPath(root, key.path)) << key.path;
}

TEST(ToYaml, RedactsSecretProperties) {
  Config cfg = Defaults();
  cfg.kafka.properties = {
      {"sasl.password", "pw1"},          {"sasl.oauthbearer.client.secret", "pw2"},
      {"ssl.key.password", "pw3"},       {"ssl.key", "pw4"},
      {"sasl.oauthbearer.token", "pw5"}, {"ssl.key.pem", "pw6"},
      {"sasl.username", "alice"}};
  const std::string yaml = ToYaml(cfg);
  for (const char* secret : {"pw1", "pw2", "pw3", "pw4", "pw5", "pw6"}) {
    EXPECT_EQ(yaml.find(secret), std::string::npos) << secret;
  }
  EXPECT_NE(yaml.find("alice"), std::string::npos);
  EXPECT_EQ(LoadText(yaml).kafka.properties.at("sasl.password"), "<redacted>");
}

}  // namespace
}  // namespace iiot
