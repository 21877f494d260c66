// Bad input from every source, through the real binary as a user would meet it: each case
// must exit with code 2 exactly (not 1, not a signal) and say on stderr where the problem
// is: the key path, the file:line:col, the variable or the flag. A case that wrongly passes
// ends fast (--sink stdout --count 1).
#include <gtest/gtest.h>

#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "../binary_run.h"
#include "../config/config_test_files.h"

namespace iiot {
namespace {

using iiot::testing::BinaryResult;
using iiot::testing::RunBinary;

constexpr const char* kRun = "--sink stdout --mode max --count 1 -q";

struct BadInput {
  const char* name;
  std::optional<std::string> file;    // written to a temp file, named by {file} in args/env
  std::string args;                   // shell syntax
  std::string env;                    // "IIOT_X=y" prefix
  std::vector<std::string> expected;  // substrings of stderr
};

std::string Nested(const std::string& open, const std::string& close, size_t depth,
                   const std::string& inner) {
  std::string text;
  for (size_t i = 0; i < depth; ++i) text += open;
  text += inner;
  for (size_t i = 0; i < depth; ++i) text += close;
  return text;
}

std::string Replace(std::string text, const std::string& path) {
  for (size_t at; (at = text.find("{file}")) != std::string::npos;) text.replace(at, 6, path);
  return text;
}

const std::vector<BadInput>& Cases() {
  const std::string run = kRun;
  const std::string with_file = "--config {file} " + run;
  static const std::vector<BadInput> cases = {
      // --- the YAML file: types and ranges ---
      {"wrong type",
       "fleet:\n  devices: ten\n",
       with_file,
       "",
       {":2:12: fleet.devices: \"ten\" is not an unsigned integer"}},
      {"map for a number",
       "fleet:\n  devices: {a: 1}\n",
       with_file,
       "",
       {":2:12: fleet.devices: ", "got a map"}},
      {"list for text", "kafka:\n  topic: [a, b]\n", with_file, "", {":2:10: kafka.topic: "}},
      {"boolean not a boolean",
       "log:\n  quiet: maybe\n",
       with_file,
       "",
       {":2:10: log.quiet: \"maybe\" is not a boolean"}},
      {"out of range",
       "fleet:\n  devices: 0\n",
       with_file,
       "",
       {":2:12: fleet.devices: 0 is out of range 1..10000000"}},
      {"1e400", "run:\n  speed: 1e400\n", with_file, "", {":2:10: run.speed: \"1e400\""}},
      {"2^64",
       "run:\n  seed: 18446744073709551616\n",
       with_file,
       "",
       {":2:9: run.seed: 18446744073709551616 is out of range"}},
      {"negative unsigned",
       "kafka:\n  linger_ms: -1\n",
       with_file,
       "",
       {":2:14: kafka.linger_ms: \"-1\" has a sign: an unsigned integer is digits only"}},
      {"not finite",
       "sensors:\n  ema_alpha: .nan\n",
       with_file,
       "",
       {"sensors.ema_alpha: \".nan\" is not a finite number"}},
      {"bad choice",
       "run:\n  mode: fastest\n",
       with_file,
       "",
       {":2:9: run.mode: \"fastest\" is not one of"}},
      // --- the YAML file: keys ---
      {"unknown key",
       "kafka:\n  compresion: lz4\n",
       with_file,
       "",
       {":2:3: kafka.compresion: unknown key", "did you mean kafka.compression?"}},
      {"unknown section",
       "fleeet:\n  devices: 5\n",
       with_file,
       "",
       {":1:1: fleeet", "did you mean fleet?"}},
      {"key in the wrong section",
       "run:\n  devices: 5\n",
       with_file,
       "",
       {"run.devices: unknown key", "did you mean fleet.devices?"}},
      {"duplicate key",
       "run:\n  seed: 1\n  seed: 2\n",
       with_file,
       "",
       {":3:3: run.seed: duplicate key"}},
      // --- the YAML file: syntax and shape ---
      {"unclosed list", "fleet:\n  devices: [1, 2\n", with_file, "", {":3:1: YAML syntax error"}},
      {"bad indentation",
       "fleet:\n  devices: 5\n site: x\n",
       with_file,
       "",
       {":3:", "YAML syntax error"}},
      {"undefined alias", "fleet:\n  devices: *n\n", with_file, "", {":2:", "YAML syntax error"}},
      {"a lone comma", ",", with_file, "", {":1:1: YAML syntax error"}},  // hung yaml-cpp's LoadAll
      {"a stray comma after a list",
       "- a\n,\n",
       with_file,
       "",
       {":2:1: YAML syntax error: unexpected character"}},
      {"a comma after the document marker",
       "--- ,\n",
       with_file,
       "",
       {":1:5: YAML syntax error: unexpected character"}},
      {"two documents after an end marker",
       "fleet: {}\n...\nrun: {}\n",
       with_file,
       "",
       {":3:1: more than one YAML document"}},
      {"top level list", "- 1\n- 2\n", with_file, "", {":1:1: the top level must be a map"}},
      {"two documents",
       "fleet: {}\n---\nrun: {}\n",
       with_file,
       "",
       {":3:1: more than one YAML document"}},
      {"binary garbage",
       std::string("\x7f\x45\x4c\x46\x02\x01\x01\x00\xff\xfe\x00\x01", 12),
       with_file,
       "",
       {"iiot-producer: invalid config: ", "/iiot_config_"}},
      {"10000 nested lists",
       "fleet: " + Nested("[", "]", 10000, "1") + "\n",
       with_file,
       "",
       {":1:", "nesting is too deep"}},
      {"10000 nested maps",
       "fleet: " + Nested("{a: ", "}", 10000, "1") + "\n",
       with_file,
       "",
       {":1:", "nesting is too deep"}},
      {"10000 nested block lists",
       "fleet: \n  " + Nested("- ", "", 10000, "1") + "\n",
       with_file,
       "",
       {":2:", "nesting is too deep"}},
      // --- the file itself ---
      {"missing file",
       std::nullopt,
       "--config /nonexistent/iiot.yaml " + run,
       "",
       {"/nonexistent/iiot.yaml: cannot open the config file: No such file or directory"}},
      {"a directory", std::nullopt, "--config / " + run, "", {"/: the config file is a directory"}},
      {"output without the file sink",
       std::nullopt,
       "--output out.jsonl " + run,
       "",
       {"--output: output.file: is set but output.sink is stdout"}},
      {"broker port 0",
       std::nullopt,
       "--brokers 127.0.0.1:0 " + run,
       "",
       {"kafka.brokers[0]: \"127.0.0.1:0\" has port 0"}},
      {"broker port too large",
       std::nullopt,
       "--brokers b1:9092,b2:70000 " + run,
       "",
       {"kafka.brokers[1]", "has port 70000"}},
      {"a device",
       std::nullopt,
       "--config /dev/zero " + run,
       "",
       {"/dev/zero: the config file is not a regular file"}},
      {"missing file from IIOT_CONFIG",
       std::nullopt,
       run,
       "IIOT_CONFIG=/nonexistent/env.yaml",
       {"/nonexistent/env.yaml: cannot open the config file"}},
      {"validate-config of a bad file",
       "run:\n  threads: 1.5\n",
       "validate-config {file}",
       "",
       {":2:12: run.threads: \"1.5\""}},
      {"validate-config of a missing file",
       std::nullopt,
       "validate-config /nonexistent/v.yaml",
       "",
       {"/nonexistent/v.yaml: cannot open"}},
      // --- the environment ---
      {"IIOT_FLEET_DEVICES=abc",
       std::nullopt,
       run,
       "IIOT_FLEET_DEVICES=abc",
       {"IIOT_FLEET_DEVICES: fleet.devices: \"abc\" is not an unsigned integer"}},
      {"unknown IIOT_ variable",
       std::nullopt,
       run,
       "IIOT_FLEET_DEVICE=5",
       {"IIOT_FLEET_DEVICE", "IIOT_FLEET_DEVICES"}},
      {"IIOT_RUN_SEED=2^64",
       std::nullopt,
       run,
       "IIOT_RUN_SEED=18446744073709551616",
       {"IIOT_RUN_SEED: run.seed: 18446744073709551616 is out of range"}},
      {"IIOT_KAFKA_COMPRESSION bad",
       std::nullopt,
       run,
       "IIOT_KAFKA_COMPRESSION=gzipp",
       {"IIOT_KAFKA_COMPRESSION: kafka.compression: \"gzipp\" is not one of"}},
      // --- flags ---
      {"--devices -1",
       std::nullopt,
       "--devices -1 " + run,
       "",
       {"--devices: fleet.devices: \"-1\" has a sign: an unsigned integer is digits only"}},
      {"--devices +5",
       std::nullopt,
       "--devices +5 " + run,
       "",
       {"--devices: fleet.devices: \"+5\" has a sign: an unsigned integer is digits only "
        "(1..10000000)"}},
      {"IIOT_RUN_COUNT=-0",  // 0 is in range: the sign is the fault, as for any value
       std::nullopt,
       run,
       "IIOT_RUN_COUNT=-0",
       {"IIOT_RUN_COUNT: run.count: \"-0\" has a sign: an unsigned integer is digits only"}},
      {"--mode fastest",
       std::nullopt,
       "--sink stdout --count 1 --mode fastest",
       "",
       {"--mode: run.mode: \"fastest\" is not one of"}},
      {"--shard 3/2",
       std::nullopt,
       "--shard 3/2 " + run,
       "",
       {"--shard: run.shard: 3/2 is out of range"}},
      {"--count 2^64",
       std::nullopt,
       "--sink stdout --count 18446744073709551616",
       "",
       {"--count: run.count: 18446744073709551616 is out of range"}},
      {"--interval 0s",
       std::nullopt,
       "--interval 0s " + run,
       "",
       {"--interval: run.interval: 0s is out of range"}},
      {"unknown flag", std::nullopt, "--devicez 5 " + run, "", {"--devicez"}},
      {"flag without its value", std::nullopt, run + " --devices", "", {"--devices"}},
      // --- combinations ---
      {"backfill without --from",
       std::nullopt,
       "--sink stdout --count 1 --mode backfill",
       "",
       {"run.from: required when run.mode is backfill"}},
      {"backfill range backwards",
       std::nullopt,
       "--sink stdout --count 1 --mode backfill --from 2026-01-02 --to 2026-01-01",
       "",
       {"run.from"}},
      {"file sink without a path",
       std::nullopt,
       "--sink file --count 1",
       "",
       {"output.file: required when output.sink is file"}},
      {"backfill in the file without from",
       "run:\n  mode: backfill\n",
       "--config {file} --sink stdout --count 1",
       "",
       {"run.from: required when run.mode is backfill"}},
  };
  return cases;
}

class BadInputTest : public ::testing::TestWithParam<size_t> {};

TEST_P(BadInputTest, ExitsTwoAndSaysWhere) {
  const BadInput& c = Cases()[GetParam()];
  std::optional<TempFile> file;
  if (c.file) file.emplace(*c.file);
  const std::string path = file ? file->path() : "";
  const BinaryResult r = RunBinary(Replace(c.args, path), Replace(c.env, path));
  EXPECT_EQ(r.exit_code, 2) << c.name << "\nstderr: " << r.err;
  for (const std::string& part : c.expected) {
    EXPECT_NE(r.err.find(part), std::string::npos)
        << c.name << ": stderr does not say \"" << part << "\":\n"
        << r.err;
  }
  EXPECT_EQ(r.out, "") << c.name << ": nothing may be produced";
}

INSTANTIATE_TEST_SUITE_P(EverySource, BadInputTest, ::testing::Range<size_t>(0, Cases().size()),
                         [](const ::testing::TestParamInfo<size_t>& param) {
                           std::string name = Cases()[param.param].name;
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

TEST(BadInput, ThereAreAtLeastThirtyCases) { EXPECT_GE(Cases().size(), 30u); }

// Not bad input, and documented as such (docs/configuration.md): an empty file, or one of
// comments only, means all defaults.
TEST(BadInput, EmptyFileIsAllDefaults) {
  for (const char* text : {"", "# only a comment\n", "\n\n"}) {
    TempFile file(text);
    const BinaryResult r = RunBinary("--config " + file.path() + " " + kRun);
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
}

}  // namespace
}  // namespace iiot
