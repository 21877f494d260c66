// Invalid configurations beyond single file values: profiles, cross-field rules, the
// environment and flags. Each must throw a ConfigError whose message names where the
// value came from, the key path and the bad value. Also the exact message formats
// documented in config_loader.h and the "did you mean" suggestions. (Syntax, shape and
// scalar errors in a file: config_file_errors_test.cc.)
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "config/config_loader.h"
#include "config_test_files.h"
#include "invalid_cases.h"

namespace iiot {
namespace {

const std::vector<InvalidCase>& Cases() {
  static const std::vector<InvalidCase> cases = {
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
      {"slice past the fleet",
       "fleet:\n  devices: 1000\nrun:\n  slice: 4\n  slice_devices: 300\n",
       {},
       {},
       {"run.slice: 4 starts at device 1201, past fleet.devices (1000): 4 slices of 300 cover "
        "the fleet (0..3)"}},
      {"slice without a size",
       "run:\n  slice: 1\n",
       {},
       {},
       {"run.slice: 1 needs run.slice_devices, the devices per slice"}},
      {"slice and shard",
       "fleet:\n  devices: 1000\nrun:\n  shard: 1/2\n  slice_devices: 10\n",
       {},
       {},
       {"run.slice_devices: cannot be combined with run.shard"}},
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
       {"IIOT_KAFKA_LINGER_MS: kafka.linger_ms: \"-5\" has a sign: an unsigned integer is digits "
        "only (0..900000)"}},
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

TEST(ConfigErrors, EveryInvalidCaseThrowsANamedError) { ExpectEveryCaseFails(Cases()); }

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
