// LoadConfig and friends: defaults, the example files, precedence and ToYaml. Invalid
// configurations are in config_errors_test.cc, hostile files in config_robustness_test.cc,
// durations and timestamps in time_text_test.cc.
#include "config/config_loader.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "config/internal/key_registry.h"
#include "config/internal/sources.h"
#include "config_test_files.h"
#include "config_test_loading.h"

namespace iiot {
namespace {

using config_keys::AllKeys;
using config_keys::EnvName;

constexpr UnixMillis kJan1 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ConfigLoader, NoSourcesGiveTheDefaults) {
  const Config cfg = LoadConfig({});
  EXPECT_EQ(cfg, Defaults());
  EXPECT_EQ(cfg.fleet.devices, 10'000u);
  EXPECT_EQ(cfg.fleet.profiles.size(), DefaultProfiles().size());
  EXPECT_NO_THROW(Validate(cfg));
}

TEST(ConfigLoader, EmptyFileMeansDefaults) {
  EXPECT_EQ(LoadText(""), Defaults());
  EXPECT_EQ(LoadText("# only a comment\n"), Defaults());
  EXPECT_EQ(LoadText("kafka:\n"), Defaults());  // an empty section
}

TEST(ConfigLoader, EveryExampleFileLoads) {
  int files = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(IIOT_SOURCE_DIR "/config")) {
    if (entry.path().extension() != ".yaml") continue;
    ++files;
    ConfigSources src;
    src.file = entry.path().string();
    // secure.yaml takes its password from the environment, as it says.
    if (entry.path().filename() == "secure.yaml") src.env = {{"IIOT_KAFKA_SASL_PASSWORD", "pw"}};
    EXPECT_NO_THROW(LoadConfig(src)) << entry.path();
  }
  EXPECT_GE(files, 8);  // config/ and config/scenarios/
}

TEST(ConfigLoader, ExampleFilesSayWhatTheyPromise) {
  auto load = [](const char* name) {
    ConfigSources src;
    src.file = std::string(IIOT_SOURCE_DIR "/config/") + name;
    return LoadConfig(src);
  };
  const Config load_test = load("loadtest.yaml");
  EXPECT_EQ(load_test.run.mode, Mode::kMax);
  EXPECT_EQ(load_test.fleet.devices, 100'000u);
  EXPECT_EQ(load_test.kafka.brokers, std::vector<std::string>{"127.0.0.1:9092"});
  EXPECT_EQ(load_test.output.on_queue_full, QueueFullPolicy::kBlock);
  const Config backfill = load("backfill.yaml");
  EXPECT_EQ(backfill.run.mode, Mode::kBackfill);
  EXPECT_EQ(*backfill.run.to - *backfill.run.from, 86'400'000);
  EXPECT_EQ(backfill.run.speed, 0);
  EXPECT_EQ(load("demo.yaml").run.mode, Mode::kRealtime);
  const Config hvac = load("scenarios/hvac-failure.yaml");
  ASSERT_EQ(hvac.incidents.schedule.size(), 1u);
  EXPECT_EQ(hvac.incidents.schedule[0].kind, IncidentKind::kHvacFailure);
  EXPECT_EQ(hvac.incidents.schedule[0].scope, ScopeLevel::kFloor);
  EXPECT_EQ(FormatTimestamp(hvac.incidents.schedule[0].start), "2026-01-15T10:00:00Z");
  const Config power = load("scenarios/power-loss.yaml");
  ASSERT_EQ(power.incidents.schedule.size(), 1u);
  EXPECT_EQ(power.incidents.schedule[0].kind, IncidentKind::kPowerLoss);
  EXPECT_EQ(power.incidents.schedule[0].building, 2u);
  EXPECT_TRUE(load("scenarios/ordinary-day.yaml").incidents.schedule.empty());
  const Config anomalies = load("anomalies.yaml");
  EXPECT_GT(anomalies.anomalies.spike, Defaults().anomalies.spike * 10);
}

TEST(ConfigLoader, DefaultYamlIsExactlyTheDefaultsAndListsEveryKey) {
  const std::string path = IIOT_SOURCE_DIR "/config/default.yaml";
  ConfigSources src;
  src.file = path;
  EXPECT_EQ(LoadConfig(src), Defaults());
  const YAML::Node root = YAML::LoadFile(path);
  for (const auto& key : AllKeys()) {
    EXPECT_TRUE(HasPath(root, key.path)) << key.path << " is missing from config/default.yaml";
  }
}

TEST(ConfigLoader, DocsDescribeEveryKeyAndVariable) {
  const std::string docs = ReadAll(IIOT_SOURCE_DIR "/docs/configuration.md");
  for (const auto& key : AllKeys()) {
    EXPECT_NE(docs.find("`" + key.path + "`"), std::string::npos) << key.path;
    EXPECT_NE(docs.find(EnvName(key.path)), std::string::npos) << EnvName(key.path);
  }
}

TEST(ConfigLoader, DocsNameNoKeyTheCodeDoesNotKnow) {
  // Every `section.name` the page writes in code quotes is a key, or a group of keys (a
  // prefix such as `sensors.temperature`): a renamed or removed key leaves no stale name.
  const std::string docs = ReadAll(IIOT_SOURCE_DIR "/docs/configuration.md");
  const std::regex quoted(
      "`((?:fleet|sensors|anomalies|incidents|labels|run|output|kafka|log|admin|alerts|reload)"
      "\\.[a-z0-9_.]*[a-z0-9_])[`:= ]");
  // Names the page uses on purpose: an error example's typo, a parameter a sensor type
  // lacks, and a file.
  const std::set<std::string> not_keys = {"kafka.compresion", "sensors.switch.mean",
                                          "anomalies.jsonl"};
  size_t names = 0;
  for (auto it = std::sregex_iterator(docs.begin(), docs.end(), quoted);
       it != std::sregex_iterator(); ++it) {
    const std::string name = (*it)[1];
    ++names;
    if (not_keys.count(name) > 0) continue;
    bool known = false;
    for (const auto& key : AllKeys()) {
      known = known || key.path == name || key.path.rfind(name + ".", 0) == 0;
    }
    EXPECT_TRUE(known) << "docs/configuration.md names `" << name << "`, which is no key";
  }
  EXPECT_GT(names, AllKeys().size());  // the pattern finds the tables' names at least
}

TEST(ConfigLoader, FlagBeatsEnvBeatsFileBeatsDefault) {
  const std::string yaml = "fleet:\n  devices: 100\nkafka:\n  topic: from-file\n";
  const std::map<std::string, std::string> env = {{"IIOT_FLEET_DEVICES", "200"},
                                                  {"IIOT_KAFKA_TOPIC", "from-env"}};
  const std::vector<ConfigSources::Override> flags = {{"fleet.devices", "300", "--devices"},
                                                      {"kafka.topic", "from-flag", "--topic"}};
  EXPECT_EQ(LoadConfig({}).fleet.devices, 10'000u);
  EXPECT_EQ(LoadText(yaml).fleet.devices, 100u);
  EXPECT_EQ(LoadText(yaml).kafka.topic, "from-file");
  EXPECT_EQ(LoadText(yaml, env).fleet.devices, 200u);
  EXPECT_EQ(LoadText(yaml, env).kafka.topic, "from-env");
  EXPECT_EQ(LoadText(yaml, env, flags).fleet.devices, 300u);
  EXPECT_EQ(LoadText(yaml, env, flags).kafka.topic, "from-flag");
  // A key set by only one source keeps that value whatever the others set.
  EXPECT_EQ(LoadText("run:\n  seed: 9\n", env, flags).run.seed, 9u);
}

TEST(ConfigLoader, LaterOverridesWin) {
  const Config cfg = LoadText("", {}, {{"run.seed", "1", "--seed"}, {"run.seed", "2", "--seed"}});
  EXPECT_EQ(cfg.run.seed, 2u);
}

TEST(ConfigLoader, IntervalOverrideClearsProfileIntervals) {
  const Config cfg = LoadText("", {}, {{"run.interval", "2s", "--interval"}});
  EXPECT_EQ(cfg.run.interval, Millis{2000});
  for (const Profile& p : cfg.fleet.profiles) EXPECT_FALSE(p.interval.has_value()) << p.name;
}

TEST(ConfigLoader, IntervalFromFileOrEnvKeepsProfileIntervals) {
  const Config from_file = LoadText("run:\n  interval: 2s\n");
  const Config from_env = LoadText("", {{"IIOT_RUN_INTERVAL", "2s"}});
  for (const Config& cfg : {from_file, from_env}) {
    EXPECT_EQ(cfg.run.interval, Millis{2000});
    EXPECT_EQ(cfg.fleet.profiles, DefaultProfiles());
  }
}

TEST(ConfigLoader, ProfilesInFileReplaceTheDefaults) {
  const Config cfg = LoadText(
      "fleet:\n  profiles:\n"
      "    - name: tank\n      sensors: [pressure, temperature]\n      interval: 250ms\n"
      "      weight: 2.5\n"
      "    - {name: door, sensors: [switch]}\n");
  ASSERT_EQ(cfg.fleet.profiles.size(), 2u);
  const Profile& tank = cfg.fleet.profiles[0];
  EXPECT_EQ(tank.name, "tank");
  EXPECT_EQ(tank.sensors,
            (std::vector<SensorType>{SensorType::kPressure, SensorType::kTemperature}));
  EXPECT_EQ(tank.interval, Millis{250});
  EXPECT_EQ(tank.weight, 2.5);
  EXPECT_FALSE(cfg.fleet.profiles[1].interval.has_value());
  EXPECT_EQ(cfg.fleet.profiles[1].weight, 1.0);
}

TEST(ConfigLoader, ProfilesFromEnvironmentAsInlineYaml) {
  const Config cfg =
      LoadText("", {{"IIOT_FLEET_PROFILES", "[{name: a, sensors: [current], interval: 1s}]"}});
  ASSERT_EQ(cfg.fleet.profiles.size(), 1u);
  EXPECT_EQ(cfg.fleet.profiles[0].sensors, std::vector<SensorType>{SensorType::kCurrent});
}

TEST(ConfigLoader, BrokersAsListOrCommaSeparatedTextAreTheSame) {
  const std::vector<std::string> want = {"a:9092", "b:9092"};
  EXPECT_EQ(LoadText("kafka:\n  brokers: [a:9092, b:9092]\n").kafka.brokers, want);
  EXPECT_EQ(LoadText("kafka:\n  brokers: \"a:9092, b:9092\"\n").kafka.brokers, want);
  EXPECT_EQ(LoadText("", {{"IIOT_KAFKA_BROKERS", "a:9092,b:9092"}}).kafka.brokers, want);
  EXPECT_EQ(LoadText("", {}, {{"kafka.brokers", "a:9092,b:9092", "--brokers"}}).kafka.brokers,
            want);
  // Empty: back to the embedded cluster.
  EXPECT_TRUE(
      LoadText("kafka:\n  brokers: [a:1]\n", {{"IIOT_KAFKA_BROKERS", ""}}).kafka.brokers.empty());
}

TEST(ConfigLoader, PropertiesFromEnvironmentAddToTheFile) {
  const Config cfg = LoadText(
      "kafka:\n  properties:\n    socket.timeout.ms: 1000\n    sasl.mechanism: PLAIN\n",
      {{"IIOT_KAFKA_PROPERTIES", "{sasl.mechanism: SCRAM-SHA-512, sasl.password: hunter2}"}});
  const std::map<std::string, std::string> want = {{"socket.timeout.ms", "1000"},
                                                   {"sasl.mechanism", "SCRAM-SHA-512"},
                                                   {"sasl.password", "hunter2"}};
  EXPECT_EQ(cfg.kafka.properties, want);
}

TEST(ConfigLoader, ScalarSpellingsFromAnySource) {
  const Config cfg = LoadText(
      "fleet:\n  devices: '12'\nkafka:\n  acks: -1\n  idempotence: yes\n"
      "run:\n  shard: 1/3\n  start: 2026-01-01\n  jitter: .25\n",
      {{"IIOT_LOG_QUIET", "TRUE"}, {"IIOT_KAFKA_COMPRESSION", "zstd"}});
  EXPECT_EQ(cfg.fleet.devices, 12u);
  EXPECT_EQ(cfg.kafka.acks, -1);
  EXPECT_TRUE(cfg.kafka.idempotence);
  EXPECT_EQ(cfg.run.shard_index, 1u);
  EXPECT_EQ(cfg.run.shard_count, 3u);
  EXPECT_EQ(cfg.run.start, kJan1);
  EXPECT_EQ(cfg.run.jitter, 0.25);
  EXPECT_TRUE(cfg.log.quiet);
  EXPECT_EQ(cfg.kafka.compression, Compression::kZstd);
}

TEST(ConfigLoader, BackfillToNowIsTheCurrentTime) {
  const Config cfg = LoadText("run:\n  mode: backfill\n  from: 2026-01-01\n  to: now\n");
  ASSERT_TRUE(cfg.run.to.has_value());
  EXPECT_GT(*cfg.run.to, kJan1);
}

TEST(ConfigLoader, DurationZeroMeansNoLimit) {
  EXPECT_FALSE(LoadText("run:\n  duration: 0\n").run.duration.has_value());
  EXPECT_EQ(LoadText("run:\n  duration: 90s\n").run.duration, Millis{90'000});
}

TEST(ConfigLoader, MissingFileNamesThePathAndTheReason) {
  ConfigSources src;
  src.file = "/nonexistent/iiot.yaml";
  try {
    LoadConfig(src);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.where(), "/nonexistent/iiot.yaml");
    EXPECT_NE(std::string(e.what()).find("No such file or directory"), std::string::npos)
        << e.what();
  }
}

TEST(ConfigLoader, DirectoryInsteadOfFileIsAnError) {
  ConfigSources src;
  src.file = std::filesystem::temp_directory_path().string();
  EXPECT_THROW(LoadConfig(src), ConfigError);
}

TEST(ConfigLoader, UnrelatedAndReservedVariablesAreIgnored) {
  const std::map<std::string, std::string> env = {
      {"HOME", "/root"},
      {"IIOT_CONFIG", "/etc/iiot.yaml"},
      // What Kubernetes sets for a Service named iiot-producer.
      {"IIOT_PRODUCER_SERVICE_HOST", "10.0.0.1"},
      {"IIOT_PRODUCER_SERVICE_PORT", "8080"},
      {"IIOT_PRODUCER_SERVICE_PORT_HTTP", "8080"},
      {"IIOT_PRODUCER_PORT", "tcp://10.0.0.1:8080"},
      {"IIOT_PRODUCER_PORT_8080_TCP_ADDR", "10.0.0.1"}};
  EXPECT_EQ(LoadText("", env), Defaults());
}

TEST(ConfigLoader, NoKeyVariableLooksLikeAnIgnoredOne) {
  for (const auto& key : AllKeys()) {
    EXPECT_FALSE(config_keys::IsIgnoredVariable(EnvName(key.path))) << key.path;
  }
}

TEST(ConfigLoader, CurrentEnvironmentReadsOnlyIiotVariables) {
  ::setenv("IIOT_TEST_CURRENT_ENVIRONMENT", "x=y", 1);
  const auto env = CurrentEnvironment();
  ::unsetenv("IIOT_TEST_CURRENT_ENVIRONMENT");
  ASSERT_EQ(env.count("IIOT_TEST_CURRENT_ENVIRONMENT"), 1u);
  EXPECT_EQ(env.at("IIOT_TEST_CURRENT_ENVIRONMENT"), "x=y");
  for (const auto& [name, value] : env) EXPECT_EQ(name.rfind("IIOT_", 0), 0u) << name;
}

TEST(ConfigLoader, ValidateRejectsAConfigBuiltInCode) {
  Config cfg = Defaults();
  cfg.run.jitter = std::nan("");
  EXPECT_THROW(Validate(cfg), ConfigError);
  cfg = Defaults();
  cfg.fleet.profiles.clear();
  EXPECT_THROW(Validate(cfg), ConfigError);
  cfg = Defaults();
  cfg.run.shard_index = 3;
  cfg.run.shard_count = 3;
  try {
    Validate(cfg);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key_path(), "run.shard");
    EXPECT_EQ(e.where(), "");
  }
}

TEST(ConfigLoader, CrossFieldErrorSaysWhichSourceSetTheKey) {
  try {
    LoadText("kafka:\n  idempotence: true\n", {{"IIOT_KAFKA_ACKS", "1"}});
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key_path(), "kafka.acks");
    EXPECT_EQ(e.where(), "IIOT_KAFKA_ACKS");
    EXPECT_NE(std::string(e.what()).find("kafka.idempotence"), std::string::npos) << e.what();
  }
}

// --- ToYaml ---

}  // namespace
}  // namespace iiot
