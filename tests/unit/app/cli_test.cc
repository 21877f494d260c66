// The iiot-producer binary as a user runs it: output, exit codes, error messages.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "../binary_run.h"

namespace {

using Result = iiot::testing::BinaryResult;
using iiot::testing::RunBinary;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string WriteTemp(const std::string& name, const std::string& content) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << content;
  return path;
}

const char* kIssueCommand =
    "--sink stdout --mode max --start 2026-01-01T00:00:00Z --devices 100 --count 1000 --seed 7";

TEST(Cli, StdoutMaxModePrintsCountValidLines) {
  const Result r = RunBinary(kIssueCommand);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 1000u);
  for (const auto& line : lines) {
    const auto j = nlohmann::json::parse(line);  // throws on invalid JSON
    ASSERT_TRUE(j.contains("device_id") && j.contains("seq") && j.contains("ts") &&
                j.contains("readings") && j.contains("anomaly"));
  }
  EXPECT_NE(r.err.find("every message delivered"), std::string::npos) << r.err;
}

TEST(Cli, SameLinesForOneAndFourThreads) {
  const Result one = RunBinary(std::string(kIssueCommand) + " --threads 1");
  const Result four = RunBinary(std::string(kIssueCommand) + " --threads 4");
  ASSERT_EQ(one.exit_code, 0);
  ASSERT_EQ(four.exit_code, 0);
  auto a = Lines(one.out), b = Lines(four.out);
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  EXPECT_EQ(a.size(), 1000u);
  EXPECT_EQ(a, b);
}

TEST(Cli, BadConfigValueExitsTwoNamingTheKey) {
  const std::string file = WriteTemp("iiot_bad.yaml", "kafka:\n  compression: gzipp\n");
  const Result r = RunBinary("--config " + file);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("kafka.compression"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("gzipp"), std::string::npos) << r.err;
}

TEST(Cli, BadFlagValueExitsTwoNamingTheFlagAndKey) {
  const Result r = RunBinary("--sink stdout --devices ten --count 1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--devices"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("fleet.devices"), std::string::npos) << r.err;
}

TEST(Cli, BadEnvironmentValueExitsTwoNamingTheVariable) {
  const Result r = RunBinary("--sink stdout --count 1", "IIOT_RUN_MODE=fastest");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("IIOT_RUN_MODE"), std::string::npos) << r.err;
}

TEST(Cli, UnknownFlagExitsTwo) {
  const Result r = RunBinary("--no-such-flag");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no-such-flag"), std::string::npos) << r.err;
}

TEST(Cli, HelpShowsExamplesAndExitsZero) {
  const Result r = RunBinary("--help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Examples:"), std::string::npos);
  EXPECT_NE(r.out.find("--count"), std::string::npos);
}

TEST(Cli, ValidateConfigAcceptsTheExamples) {
  for (const auto& entry : std::filesystem::directory_iterator(IIOT_SOURCE_DIR "/config")) {
    if (entry.path().extension() != ".yaml") continue;
    // secure.yaml keeps its password out of the file: a run takes it from the environment.
    const bool sasl = entry.path().filename() == "secure.yaml";
    const Result r = RunBinary("validate-config " + entry.path().string(),
                               sasl ? "IIOT_KAFKA_SASL_PASSWORD=example-only" : "");
    EXPECT_EQ(r.exit_code, 0) << entry.path() << ": " << r.err;
  }
}

TEST(Cli, ValidateConfigRejectsUnknownKeyWithSuggestion) {
  const std::string file = WriteTemp("iiot_typo.yaml", "fleet:\n  devicez: 10\n");
  const Result r = RunBinary("validate-config " + file);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("fleet.devicez"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("fleet.devices"), std::string::npos) << r.err;
}

TEST(Cli, FileSinkWritesEveryMessage) {
  const auto path = std::filesystem::temp_directory_path() / "iiot_cli_out.jsonl";
  const Result r = RunBinary("--sink file --output " + path.string() +
                             " --mode max --devices 50 --count 500 --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(Lines(ss.str()).size(), 500u);
  std::filesystem::remove(path);
}

TEST(Cli, EmbeddedClusterRunSaysDataStaysInMemory) {
  const Result r = RunBinary("--mode max --devices 1000 --count 20000 --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("in memory"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("every message delivered"), std::string::npos) << r.err;
}

}  // namespace

namespace {

// Each bad config, given to the binary, exits 2 with a message naming what is wrong.
struct BadConfig {
  const char* yaml;
  const char* must_mention;
};

TEST(Cli, EveryBadConfigExitsTwoNamingTheProblem) {
  const BadConfig cases[] = {
      {"fleet:\n  devices: 0\n", "fleet.devices"},
      {"fleet:\n  devices: -5\n", "fleet.devices"},
      {"fleet:\n  devices: 99999999999999999999999\n", "fleet.devices"},
      {"run:\n  mode: warp\n", "run.mode"},
      {"run:\n  interval: fast\n", "run.interval"},
      {"run:\n  shard: 3/2\n", "run.shard"},
      {"run:\n  mode: rate\n", "run.rate"},
      {"run:\n  mode: backfill\n  from: 2026-01-02\n  to: 2026-01-01\n", "run.from"},
      {"sensors:\n  ema_alpha: 0\n", "sensors.ema_alpha"},
      {"sensors:\n  temperature:\n    min: 70\n", "sensors.temperature"},
      {"anomalies:\n  spike: 1.5\n", "anomalies.spike"},
      {"kafka:\n  acks: 2\n", "kafka.acks"},
      {"kafka:\n  topic: \"bad topic\"\n", "kafka.topic"},
      {"kafka:\n  brokers: {a: b}\n", "kafka.brokers"},
      {"output:\n  on_queue_full: wait\n", "output.on_queue_full"},
      {"fleet:\n  profiles:\n    - name: x\n      sensors: [thermometer]\n", "fleet.profiles"},
      {"fleet: [1, 2]\n", "fleet"},
      {"kafka:\n  compression: gzip\n  compression: zstd\n", "duplicate key"},
      {"kafka:\n  bogus: 1\n", "kafka.bogus"},
      {"fleet:\n  devices: 10\n bad_indent: 1\n", ":3:"},
      {"[unclosed\n", ":"},
  };
  for (const BadConfig& c : cases) {
    const std::string file = WriteTemp("iiot_bad_table.yaml", c.yaml);
    const Result r = RunBinary("validate-config " + file);
    EXPECT_EQ(r.exit_code, 2) << c.yaml;
    EXPECT_NE(r.err.find(c.must_mention), std::string::npos) << c.yaml << "\n" << r.err;
    const Result run = RunBinary("--config " + file + " --sink stdout --count 1");
    EXPECT_EQ(run.exit_code, 2) << c.yaml << "\n" << run.err;
  }
}

TEST(Cli, MissingConfigFileExitsTwoNamingThePath) {
  const Result r = RunBinary("--config /nonexistent/iiot.yaml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/iiot.yaml"), std::string::npos) << r.err;
}

}  // namespace
