// `iiot-producer verify` as a user runs it: usage errors exit 2 with a clear message, an
// unreachable broker exits 1. (The binary cannot read this process's embedded cluster;
// VerifyTopic is tested against one in verify_topic_test.cc.)
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "../binary_run.h"

namespace {

using Result = iiot::testing::BinaryResult;
using iiot::testing::RunBinary;

TEST(VerifyCli, NoBrokersIsAUsageError) {
  const Result r = RunBinary("verify --topic plant");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("no brokers: give --brokers HOST:PORT"), std::string::npos) << r.err;
}

TEST(VerifyCli, UnknownFlagIsAUsageError) {
  const Result r = RunBinary("verify --brokers 127.0.0.1:1 --devices 10");
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

TEST(VerifyCli, ZeroExpectationIsAUsageError) {
  const Result r = RunBinary("verify --brokers 127.0.0.1:1 --expect-per-device 0");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--expect-per-device: must be at least 1"), std::string::npos) << r.err;
}

TEST(VerifyCli, RunFlagsBeforeVerifyAreRefused) {
  const Result r = RunBinary("--brokers 127.0.0.1:1 verify --topic plant");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--brokers goes after `verify`"), std::string::npos) << r.err;
}

TEST(VerifyCli, BadFormatNamesTheKey) {
  const Result r = RunBinary("verify --brokers 127.0.0.1:1 --format xml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--format: output.format"), std::string::npos) << r.err;
}

TEST(VerifyCli, BadTimeoutIsAUsageError) {
  EXPECT_EQ(RunBinary("verify --brokers 127.0.0.1:1 --timeout soon").exit_code, 2);
  EXPECT_EQ(RunBinary("verify --brokers 127.0.0.1:1 --timeout 0").exit_code, 2);
}

TEST(VerifyCli, BrokersFromTheConfigFileAreUsed) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("iiot_verify_cfg_" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << "kafka:\n  brokers: [\"127.0.0.1:1\"]\n  topic: plant\n";
  const Result r = RunBinary("verify --config " + path.string() +
                             " --timeout 0.3 --json "
                             "--log-level off");
  std::filesystem::remove(path);
  EXPECT_EQ(r.exit_code, 1) << r.err;  // a broker error, not a usage error
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["clean"], false);
  EXPECT_EQ(j["topic"], "plant");
  EXPECT_EQ(j["error"], "no broker reachable at 127.0.0.1:1 within 0.3 s");
}

TEST(VerifyCli, BrokersFromTheEnvironmentAreUsed) {
  const Result r =
      RunBinary("verify --timeout 0.3 --log-level off", "IIOT_KAFKA_BROKERS=127.0.0.1:1");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("verify: NOT CLEAN (read failed: no broker reachable"), std::string::npos)
      << r.out;
}

}  // namespace
