// Invalid configurations from every source: each must throw ConfigError whose message
// names where the value came from, the key path and the bad value. Also the exact message
// formats documented in config_loader.h and the "did you mean" suggestions.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "config/config_loader.h"
#include "config_test_files.h"

namespace iiot {
namespace {

struct InvalidCase {
  const char* name;
  std::optional<std::string> yaml;  // written to a temp file when set
  std::map<std::string, std::string> env;
  std::vector<ConfigSources::Override> overrides;
  std::vector<std::string> expected;  // substrings of what(): key path, bad value, line:col
};

// The message of the ConfigError LoadConfig throws, or "" when it loads.
std::string ErrorOf(const InvalidCase& c) {
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

const std::vector<InvalidCase>& Cases() {
  static const std::vector<InvalidCase> cases = {
      // --- file: syntax and shape ---
      {"syntax error", "fleet:\n  devices: [1, 2\n", {}, {}, {":3:1: ", "YAML syntax error"}},
      {"bad escape", "fleet:\n  site: \"\\q\"\n", {}, {}, {":2:", "YAML syntax error"}},
      {"undefined alias", "fleet:\n  devices: *n\n", {}, {}, {":2:", "YAML syntax error"}},
      {"top level list", "- 1\n- 2\n", {}, {}, {":1:1: ", "top level", "a list"}},
      {"top level scalar", "hello\n", {}, {}, {":1:1: ", "\"hello\""}},
      {"two documents", "fleet: {}\n---\nrun: {}\n", {}, {}, {":3:1: ", "more than one"}},
      {"section is a list", "fleet: [1, 2]\n", {}, {}, {":1:8: fleet: ", "got a list"}},
      {"section is a scalar", "kafka: fast\n", {}, {}, {":1:8: kafka: ", "\"fast\""}},
      {"map for a number",
       "fleet:\n  devices: {a: 1}\n",
       {},
       {},
       {":2:12: fleet.devices: ", "got a map"}},
      {"list for a number",
       "fleet:\n  devices: [1]\n",
       {},
       {},
       {":2:12: fleet.devices: ", "got a list"}},
      {"missing value", "fleet:\n  devices:\n", {}, {}, {":2:3: fleet.devices: ", "missing value"}},
      {"duplicate key", "run:\n  seed: 1\n  seed: 2\n", {}, {}, {":3:3: run.seed: ", "duplicate"}},
      {"unknown key",
       "kafka:\n  compresion: lz4\n",
       {},
       {},
       {":2:3: kafka.compresion: unknown key", "did you mean kafka.compression?"}},
      {"unknown section", "fleeet:\n  devices: 5\n", {}, {}, {"fleeet", "did you mean fleet?"}},
      {"key in the wrong section",
       "run:\n  devices: 5\n",
       {},
       {},
       {"run.devices", "did you mean fleet.devices?"}},
      {"non-scalar key", "? [a]\n: 1\n", {}, {}, {":1:3: ", "a key must be a name"}},
      // --- file: numbers ---
      {"not an unsigned integer",
       "fleet:\n  devices: ten\n",
       {},
       {},
       {":2:12: fleet.devices: \"ten\" is not an unsigned integer"}},
      {"fraction for an integer", "run:\n  threads: 1.5\n", {}, {}, {"run.threads", "\"1.5\""}},
      {"uint64 overflow",
       "fleet:\n  devices: 99999999999999999999999\n",
       {},
       {},
       {"fleet.devices: 99999999999999999999999 is out of range 1..10000000"}},
      {"uint32 overflow",
       "fleet:\n  buildings: 5000000000\n",
       {},
       {},
       {"fleet.buildings: 5000000000 is out of range 1..1000"}},
      {"uint64 overflow of seed",
       "run:\n  seed: 18446744073709551616\n",
       {},
       {},
       {"run.seed: 18446744073709551616 is out of range"}},
      {"negative unsigned",
       "kafka:\n  linger_ms: -1\n",
       {},
       {},
       {"kafka.linger_ms: -1 is out of range 0..900000"}},
      {"zero devices",
       "fleet:\n  devices: 0\n",
       {},
       {},
       {"fleet.devices: 0 is out of range 1..10000000"}},
      {"too many devices",
       "fleet:\n  devices: 10000001\n",
       {},
       {},
       {"fleet.devices: 10000001 is out of range"}},
      {"NaN",
       "sensors:\n  ema_alpha: .nan\n",
       {},
       {},
       {"sensors.ema_alpha: \".nan\" is not a finite number"}},
      {"infinity", "run:\n  rate: .inf\n", {}, {}, {"run.rate: \".inf\" is not a finite number"}},
      {"double overflow", "run:\n  speed: 1e999\n", {}, {}, {"run.speed: \"1e999\""}},
      {"not a number", "run:\n  jitter: lots\n", {}, {}, {"run.jitter: \"lots\" is not a number"}},
      {"ema_alpha zero",
       "sensors:\n  ema_alpha: 0\n",
       {},
       {},
       {"sensors.ema_alpha: 0 is out of range (0, 1]"}},
      {"ema_alpha above one",
       "sensors:\n  ema_alpha: 1.01\n",
       {},
       {},
       {"sensors.ema_alpha: 1.01 is out of range"}},
      {"jitter above half",
       "run:\n  jitter: 0.6\n",
       {},
       {},
       {"run.jitter: 0.6 is out of range [0, 0.5]"}},
      {"anomaly rate above one",
       "anomalies:\n  spike: 1.5\n",
       {},
       {},
       {"anomalies.spike: 1.5 is out of range [0, 1]"}},
      {"negative stddev",
       "sensors:\n  pressure:\n    stddev: -1\n",
       {},
       {},
       {":3:13: sensors.pressure.stddev: -1 is out of range"}},
      {"threads above 256",
       "run:\n  threads: 257\n",
       {},
       {},
       {"run.threads: 257 is out of range 0..256"}},
      {"zero partitions",
       "kafka:\n  embedded_partitions: 0\n",
       {},
       {},
       {"kafka.embedded_partitions: 0 is out of range 1..1000"}},
      {"too many partitions",
       "kafka:\n  embedded_partitions: 1001\n",
       {},
       {},
       {"kafka.embedded_partitions: 1001 is out of range 1..1000"}},
      // --- file: other scalars ---
      {"bad choice",
       "kafka:\n  compression: gzipp\n",
       {},
       {},
       {":2:16: kafka.compression: \"gzipp\" is not one of none|gzip|snappy|lz4|zstd"}},
      {"bad mode", "run:\n  mode: fastest\n", {}, {}, {"run.mode: \"fastest\" is not one of"}},
      {"bad acks", "kafka:\n  acks: 2\n", {}, {}, {"kafka.acks: \"2\" is not one of all|-1|0|1"}},
      {"bad boolean", "log:\n  quiet: maybe\n", {}, {}, {"log.quiet: \"maybe\" is not a boolean"}},
      {"bad log level", "log:\n  level: loud\n", {}, {}, {"log.level: \"loud\" is not one of"}},
      {"zero interval",
       "run:\n  interval: 0ms\n",
       {},
       {},
       {"run.interval: 0s is out of range 1ms..7d"}},
      {"bad duration",
       "run:\n  interval: 5 sec\n",
       {},
       {},
       {"run.interval: \"5 sec\" is not a duration"}},
      {"bad timestamp",
       "run:\n  start: 2026-02-30\n",
       {},
       {},
       {"run.start: \"2026-02-30\" is not a timestamp"}},
      {"topic with spaces",
       "kafka:\n  topic: my topic\n",
       {},
       {},
       {"kafka.topic: \"my topic\" is not a valid Kafka topic name"}},
      {"topic too long",
       "kafka:\n  topic: " + std::string(250, 't') + "\n",
       {},
       {},
       {"kafka.topic: \"tttt", "not a valid Kafka topic name"}},
      {"empty topic", "kafka:\n  topic: \"\"\n", {}, {}, {"kafka.topic: \"\" is not a valid"}},
      {"bad site", "fleet:\n  site: \"plant 1\"\n", {}, {}, {"fleet.site: \"plant 1\""}},
      {"shard not i/N", "run:\n  shard: three\n", {}, {}, {"run.shard: \"three\" is not a shard"}},
      {"shard index not below count",
       "run:\n  shard: 4/4\n",
       {},
       {},
       {"run.shard: 4/4 is out of range"}},
      {"shard count zero", "run:\n  shard: 0/0\n", {}, {}, {"run.shard: 0/0 is out of range"}},
      {"broker with space",
       "kafka:\n  brokers: [\"a b:9092\"]\n",
       {},
       {},
       {"kafka.brokers[0]: \"a b:9092\" is not a broker address"}},
      {"broker is a map",
       "kafka:\n  brokers:\n    - {host: a}\n",
       {},
       {},
       {":3:7: kafka.brokers[0]: expected host:port"}},
      {"property value is a map",
       "kafka:\n  properties:\n    sasl: {a: b}\n",
       {},
       {},
       {":3:11: kafka.properties.sasl: ", "expected a text value"}},
      {"properties is a list",
       "kafka:\n  properties: [a]\n",
       {},
       {},
       {"kafka.properties: ", "got a list"}},
      // --- file: profiles ---
      {"duplicate profile names",
       "fleet:\n  profiles:\n    - {name: a, sensors: [switch]}\n    - {name: a, sensors: "
       "[current]}\n",
       {},
       {},
       {":4:14: fleet.profiles[1].name: \"a\" is already the name of fleet.profiles[0]"}},
      {"unknown sensor",
       "fleet:\n  profiles:\n    - {name: a, sensors: [temprature]}\n",
       {},
       {},
       {":3:27: fleet.profiles[0].sensors[0]: \"temprature\" is not one of temperature|"}},
      {"duplicated sensor",
       "fleet:\n  profiles:\n    - {name: a, sensors: [switch, switch]}\n",
       {},
       {},
       {"fleet.profiles[0].sensors: \"switch\" is listed twice"}},
      {"no sensors",
       "fleet:\n  profiles:\n    - {name: a, sensors: []}\n",
       {},
       {},
       {"fleet.profiles[0].sensors: a profile needs at least one sensor"}},
      {"zero weight",
       "fleet:\n  profiles:\n    - {name: a, sensors: [switch], weight: 0}\n",
       {},
       {},
       {"fleet.profiles[0].weight: 0 is out of range (0, 1000000]"}},
      {"negative weight",
       "fleet:\n  profiles:\n    - {name: a, sensors: [switch], weight: -2}\n",
       {},
       {},
       {"fleet.profiles[0].weight: -2 is out of range"}},
      {"profile interval zero",
       "fleet:\n  profiles:\n    - {name: a, sensors: [switch], interval: 0s}\n",
       {},
       {},
       {"fleet.profiles[0].interval: 0s is out of range"}},
      {"profile without name",
       "fleet:\n  profiles:\n    - {sensors: [switch]}\n",
       {},
       {},
       {"fleet.profiles[0]: missing name"}},
      {"unknown profile key",
       "fleet:\n  profiles:\n    - {name: a, sensor: [switch]}\n",
       {},
       {},
       {"fleet.profiles[0].sensor: unknown key (did you mean sensors?)"}},
      {"empty profile list", "fleet:\n  profiles: []\n", {}, {}, {"fleet.profiles: an empty list"}},
      {"profiles is a map",
       "fleet:\n  profiles: {name: a}\n",
       {},
       {},
       {"fleet.profiles: expected a list of profiles, got a map"}},
      // --- cross-field ---
      {"min not below max",
       "sensors:\n  temperature:\n    min: 60\n",
       {},
       {},
       {"sensors.temperature.min: 60 is not below sensors.temperature.max (60)"}},
      {"mean outside range",
       "sensors:\n  current:\n    mean: 11\n",
       {},
       {},
       {"sensors.current.mean: 11 is outside sensors.current.min..sensors.current.max"}},
      {"anomaly rates above one",
       "anomalies:\n  spike: 0.5\n  stuck: 0.4\n  drift: 0.2\n",
       {},
       {},
       {"anomalies: ", "anomalies.spike + stuck + drift + dropout + chatter = 1.1"}},
      {"min_length above max_length",
       "anomalies:\n  min_length: 30\n",
       {},
       {},
       {":2:15: anomalies.min_length: 30 is above anomalies.max_length (20)"}},
      {"rate mode without rate",
       "run:\n  mode: rate\n",
       {},
       {},
       {"run.rate: 0 must be above 0 when run.mode is rate"}},
      {"backfill without from",
       "run:\n  mode: backfill\n  to: 2026-01-02\n",
       {},
       {},
       {"run.from: required when run.mode is backfill"}},
      {"backfill from after to",
       "run:\n  mode: backfill\n  from: 2026-01-02\n  to: 2026-01-01\n",
       {},
       {},
       {"run.from: 2026-01-02T00:00:00Z is not before run.to (2026-01-01T00:00:00Z)"}},
      {"file sink without file",
       "output:\n  sink: file\n",
       {},
       {},
       {"output.file: required when output.sink is file"}},
      {"acks 1 with idempotence",
       "kafka:\n  acks: 1\n",
       {},
       {},
       {":2:9: kafka.acks: 1 must be all (-1) when kafka.idempotence is true"}},
      {"more shards than devices",
       "fleet:\n  devices: 3\nrun:\n  shard: 0/4\n",
       {},
       {},
       {"run.shard: 0/4 has more shards than fleet.devices (3)"}},
      // --- environment ---
      {"env not a number",
       std::nullopt,
       {{"IIOT_FLEET_DEVICES", "ten"}},
       {},
       {"IIOT_FLEET_DEVICES: fleet.devices: \"ten\" is not an unsigned integer"}},
      {"env unknown variable",
       std::nullopt,
       {{"IIOT_FLEET_DEVICE", "10"}},
       {},
       {"IIOT_FLEET_DEVICE: unknown variable (did you mean IIOT_FLEET_DEVICES?)"}},
      {"env property one by one",
       std::nullopt,
       {{"IIOT_KAFKA_PROPERTIES_SASL_PASSWORD", "x"}},
       {},
       {"IIOT_KAFKA_PROPERTIES_SASL_PASSWORD: unknown variable", "IIOT_KAFKA_PROPERTIES="}},
      {"env empty broker entry",
       std::nullopt,
       {{"IIOT_KAFKA_BROKERS", "a:9092,,b:9092"}},
       {},
       {"IIOT_KAFKA_BROKERS: kafka.brokers: \"a:9092,,b:9092\" has an empty entry"}},
      {"env negative",
       std::nullopt,
       {{"IIOT_KAFKA_LINGER_MS", "-5"}},
       {},
       {"IIOT_KAFKA_LINGER_MS: kafka.linger_ms: -5 is out of range"}},
      {"env bad inline yaml",
       std::nullopt,
       {{"IIOT_KAFKA_PROPERTIES", "{a: [}"}},
       {},
       {"IIOT_KAFKA_PROPERTIES: kafka.properties: ", "not valid YAML"}},
      {"env profiles unknown sensor",
       std::nullopt,
       {{"IIOT_FLEET_PROFILES", "[{name: a, sensors: [fan]}]"}},
       {},
       {"IIOT_FLEET_PROFILES: fleet.profiles[0].sensors[0]: \"fan\""}},
      {"env beats a good file",
       "fleet:\n  devices: 5\n",
       {{"IIOT_RUN_MODE", "fastest"}},
       {},
       {"IIOT_RUN_MODE: run.mode: \"fastest\""}},
      // --- overrides (flags) ---
      {"flag out of range",
       std::nullopt,
       {},
       {{"fleet.devices", "0", "--devices"}},
       {"--devices: fleet.devices: 0 is out of range 1..10000000"}},
      {"flag unknown key",
       std::nullopt,
       {},
       {{"fleet.devicez", "5", "--devices"}},
       {"--devices: fleet.devicez: unknown key (did you mean fleet.devices?)"}},
      {"flag bad duration",
       std::nullopt,
       {},
       {{"run.interval", "soon", "--interval"}},
       {"--interval: run.interval: \"soon\" is not a duration"}},
      {"flag exponent for integer",
       std::nullopt,
       {},
       {{"run.threads", "1e3", "--threads"}},
       {"--threads: run.threads: \"1e3\" is not an unsigned integer"}},
      {"flag bad shard",
       std::nullopt,
       {},
       {{"run.shard", "1/", "--shard"}},
       {"--shard: run.shard: \"1/\" is not a shard"}},
      {"flag bad timestamp",
       std::nullopt,
       {},
       {{"run.from", "2026-01-01T00:00:00", "--from"}},
       {"--from: run.from: \"2026-01-01T00:00:00\" is not a timestamp"}},
      {"flag cross-field",
       std::nullopt,
       {},
       {{"output.sink", "file", "--sink"}},
       {"output.file: required when output.sink is file"}},
  };
  return cases;
}

TEST(ConfigErrors, AtLeastThirtyInvalidCases) { EXPECT_GE(Cases().size(), 30u); }

TEST(ConfigErrors, EveryInvalidCaseThrowsANamedError) {
  for (const InvalidCase& c : Cases()) {
    const std::string what = ErrorOf(c);
    ASSERT_FALSE(what.empty()) << c.name << ": loaded without error";
    for (const std::string& part : c.expected) {
      EXPECT_NE(what.find(part), std::string::npos)
          << c.name << ":\n  message:  " << what << "\n  expected: " << part;
    }
  }
}

TEST(ConfigErrors, MessageFormatsAreExact) {
  TempFile file("fleet:\n  devices: 10\nkafka:\n  compression: gzipp\n");
  ConfigSources src;
  src.file = file.path();
  try {
    LoadConfig(src);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              file.path() +
                  ":4:16: kafka.compression: \"gzipp\" is not one of none|gzip|snappy|lz4|zstd");
    EXPECT_EQ(e.key_path(), "kafka.compression");
    EXPECT_EQ(e.where(), file.path() + ":4:16");
    EXPECT_EQ(e.message(), "\"gzipp\" is not one of none|gzip|snappy|lz4|zstd");
  }
  try {
    ConfigSources env_only;
    env_only.env = {{"IIOT_FLEET_DEVICES", "ten"}};
    LoadConfig(env_only);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "IIOT_FLEET_DEVICES: fleet.devices: \"ten\" is not an unsigned integer");
  }
  try {
    ConfigSources flags_only;
    flags_only.overrides = {{"fleet.devices", "0", "--devices"}};
    LoadConfig(flags_only);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "--devices: fleet.devices: 0 is out of range 1..10000000");
  }
}

TEST(ConfigErrors, SyntaxErrorHasNoKeyPathButAPosition) {
  TempFile file("run:\n  mode: [max\n");
  ConfigSources src;
  src.file = file.path();
  try {
    LoadConfig(src);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key_path(), "");
    EXPECT_EQ(e.where().rfind(file.path() + ":", 0), 0u) << e.where();
  }
}

TEST(ConfigErrors, DidYouMeanOnlyWhenSomethingIsClose) {
  InvalidCase far{"far", "kafka:\n  xyzzy_plugh: 1\n", {}, {}, {}};
  const std::string what = ErrorOf(far);
  EXPECT_NE(what.find("kafka.xyzzy_plugh: unknown key"), std::string::npos) << what;
  EXPECT_EQ(what.find("did you mean"), std::string::npos) << what;
  InvalidCase env{"env", std::nullopt, {{"IIOT_KAFKA_LINGERMS", "5"}}, {}, {}};
  EXPECT_NE(ErrorOf(env).find("did you mean IIOT_KAFKA_LINGER_MS?"), std::string::npos);
  InvalidCase lower{"lower", std::nullopt, {{"IIOT_fleet_devices", "5"}}, {}, {}};
  EXPECT_NE(ErrorOf(lower).find("did you mean IIOT_FLEET_DEVICES?"), std::string::npos);
}

}  // namespace
}  // namespace iiot
