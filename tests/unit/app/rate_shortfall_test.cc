// A configured rate no run can keep is said at start, and how far short the run falls
// shows in /api/v1/stats; a rate the run keeps shows no shortfall.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "../binary_run.h"

namespace {

using iiot::testing::BackgroundRun;
using namespace std::chrono_literals;

// /api/v1/stats of the run after it has run `wait`; null when it cannot be had.
nlohmann::json StatsAfter(const BackgroundRun& run, std::chrono::seconds wait) {
  const int port = run.AdminPort();
  if (port == 0) return nullptr;
  std::this_thread::sleep_for(wait);
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(5s);
  auto res = client.Get("/api/v1/stats");
  if (!res || res->status != 200) return nullptr;
  return nlohmann::json::parse(res->body);
}

TEST(RateShortfall, AnUnreachableRateIsSaidAtStartAndMeasuredWhileRunning) {
  // 200,000 devices every millisecond: 200,000,000 msg/s on 2 threads.
  BackgroundRun run({"--interval", "1ms", "--devices", "200000", "--threads", "2", "--sink", "file",
                     "--output", "/dev/null"});
  const nlohmann::json stats = StatsAfter(run, 4s);
  ASSERT_FALSE(stats.is_null()) << run.Err();
  EXPECT_DOUBLE_EQ(stats["rates"]["target"].get<double>(), 200'000'000.0) << stats.dump();
  EXPECT_GT(stats["rates"]["shortfall"].get<double>(), 0.5) << stats.dump();
  run.Stop();
  const std::string err = run.Err();
  EXPECT_NE(err.find("the configuration asks for 200,000,000 msg/s (fleet.devices / "
                     "run.interval and the profiles' intervals), more than 2 worker thread(s) "
                     "can reach"),
            std::string::npos)
      << err;
}

TEST(RateShortfall, ARateTheRunKeepsShowsNoShortfall) {
  BackgroundRun run({"--mode", "rate", "--rate", "2000", "--devices", "1000", "--sink", "file",
                     "--output", "/dev/null"});
  const nlohmann::json stats = StatsAfter(run, 4s);
  ASSERT_FALSE(stats.is_null()) << run.Err();
  EXPECT_DOUBLE_EQ(stats["rates"]["target"].get<double>(), 2000.0) << stats.dump();
  EXPECT_LT(stats["rates"]["shortfall"].get<double>(), 0.2) << stats.dump();
  EXPECT_EQ(run.Stop(), 0);
  EXPECT_EQ(run.Err().find("can reach"), std::string::npos) << run.Err();
  EXPECT_EQ(run.Err().find("running behind"), std::string::npos) << run.Err();
}

TEST(RateShortfall, MaxModeHasNoTarget) {
  BackgroundRun run(
      {"--mode", "max", "--devices", "1000", "--sink", "file", "--output", "/dev/null"});
  const nlohmann::json stats = StatsAfter(run, 2s);
  ASSERT_FALSE(stats.is_null()) << run.Err();
  EXPECT_TRUE(stats["rates"]["target"].is_null()) << stats.dump();
  EXPECT_TRUE(stats["rates"]["shortfall"].is_null()) << stats.dump();
  run.Stop();
}

}  // namespace
