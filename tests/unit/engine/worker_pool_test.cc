// WorkerPool end to end with a capturing sink (the one fake, at the sink seam): clock modes,
// determinism across thread counts, --count cuts, shards, sequence numbers.
#include "engine/worker_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "config/config_loader.h"
#include "recording_sink.h"

namespace iiot {
namespace {

constexpr UnixMillis kStart = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

Config MaxModeConfig(uint64_t devices, uint64_t count, uint32_t threads) {
  Config cfg;
  cfg.fleet.devices = devices;
  cfg.fleet.profiles = DefaultProfiles();
  cfg.run.mode = Mode::kMax;
  cfg.run.start = kStart;
  cfg.run.count = count;
  cfg.run.seed = 7;
  cfg.run.threads = threads;
  cfg.anomalies.spike = 0.01;  // make anomalies part of what must be reproduced
  // And incidents: most floors are in a failure and most buildings lose power, briefly.
  cfg.incidents.kinds[0] = {15, ScopeLevel::kFloor, Millis{60'000}, Millis{120'000}};
  cfg.incidents.kinds[1] = {100, ScopeLevel::kBuilding, Millis{20'000}, Millis{60'000}};
  Validate(cfg);
  return cfg;
}

std::vector<std::pair<std::string, std::string>> RunToEnd(const Config& cfg) {
  const Fleet fleet(cfg);
  testing::RecordingSink sink;
  WorkerPool p(cfg, fleet, sink);
  EXPECT_TRUE(p.Start().has_value());
  p.Join();
  EXPECT_TRUE(p.Finished());
  EXPECT_EQ(p.Generated(), sink.size());
  return sink.messages();
}

std::vector<std::pair<std::string, std::string>> Sorted(
    std::vector<std::pair<std::string, std::string>> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(WorkerPool, MaxModeEmitsExactlyCount) {
  EXPECT_EQ(RunToEnd(MaxModeConfig(100, 1000, 1)).size(), 1000u);
}

TEST(WorkerPool, SameMessagesForOneTwoAndFourThreads) {
  const auto one = RunToEnd(MaxModeConfig(100, 1000, 1));
  const auto two = RunToEnd(MaxModeConfig(100, 1000, 2));
  const auto four = RunToEnd(MaxModeConfig(100, 1000, 4));
  ASSERT_EQ(one.size(), 1000u);
  const auto labelled = std::count_if(one.begin(), one.end(), [](const auto& m) {
    return m.second.find(R"("incident":{)") != std::string::npos;
  });
  EXPECT_GT(labelled, 100);
  EXPECT_EQ(Sorted(one), Sorted(two));
  EXPECT_EQ(Sorted(one), Sorted(four));
}

TEST(WorkerPool, OneThreadGivesTheSameOrderEveryTime) {
  EXPECT_EQ(RunToEnd(MaxModeConfig(500, 5000, 1)), RunToEnd(MaxModeConfig(500, 5000, 1)));
}

TEST(WorkerPool, OneThreadEmitsInTimeThenDeviceOrder) {
  const Config cfg = MaxModeConfig(300, 3000, 1);
  const Fleet fleet(cfg);
  std::vector<std::pair<std::string, std::string>> msgs = RunToEnd(cfg);
  std::string prev_ts, prev_id;
  for (const auto& [key, value] : msgs) {
    const auto j = nlohmann::json::parse(value);
    const std::string ts = j["ts"];
    // Device ids are zero-padded, so string order is device order.
    ASSERT_TRUE(ts > prev_ts || (ts == prev_ts && key > prev_id)) << ts << " " << key;
    prev_ts = ts;
    prev_id = key;
  }
}

TEST(WorkerPool, CountCutsTheGlobalOrderWhateverTheThreads) {
  // The first N messages of a longer run are exactly the N-message run.
  const auto longer = RunToEnd(MaxModeConfig(50, 777, 1));
  const auto cut = RunToEnd(MaxModeConfig(50, 500, 3));
  const std::vector<std::pair<std::string, std::string>> prefix(longer.begin(),
                                                                longer.begin() + 500);
  EXPECT_EQ(Sorted(prefix), Sorted(cut));
}

TEST(WorkerPool, SeqIsContiguousPerDevice) {
  const auto msgs = RunToEnd(MaxModeConfig(200, 20'000, 2));
  std::map<std::string, std::vector<uint64_t>> seqs;
  for (const auto& [key, value] : msgs) seqs[key].push_back(nlohmann::json::parse(value)["seq"]);
  EXPECT_EQ(seqs.size(), 200u);
  for (auto& [key, s] : seqs) {
    std::sort(s.begin(), s.end());
    for (size_t i = 0; i < s.size(); ++i) ASSERT_EQ(s[i], i + 1) << key;
  }
}

TEST(WorkerPool, ShardsAreDisjointAndTogetherTheWholeFleet) {
  // A backfill range bounds each run without a count (a count would cut each shard).
  Config base = MaxModeConfig(103, 0, 2);
  base.run.mode = Mode::kBackfill;
  base.run.from = kStart;
  base.run.to = kStart + 60'000;
  const auto all = Sorted(RunToEnd(base));
  std::vector<std::pair<std::string, std::string>> joined;
  std::set<std::string> devices_seen;
  for (uint32_t i = 0; i < 3; ++i) {
    Config c = base;
    c.run.shard_index = i;
    c.run.shard_count = 3;
    std::set<std::string> mine;
    for (auto& m : RunToEnd(c)) {
      mine.insert(m.first);
      joined.push_back(m);
    }
    for (const auto& d : mine) EXPECT_TRUE(devices_seen.insert(d).second) << d << " in two shards";
  }
  EXPECT_EQ(devices_seen.size(), 103u);
  EXPECT_EQ(Sorted(joined), all);
}

TEST(WorkerPool, BackfillTimestampsAreExact) {
  Config cfg = MaxModeConfig(20, 0, 2);
  cfg.run.mode = Mode::kBackfill;
  cfg.run.from = kStart;
  cfg.run.to = kStart + 3'600'000;  // one hour
  cfg.run.interval = Millis{10'000};
  for (auto& p : cfg.fleet.profiles) p.interval.reset();
  const auto msgs = RunToEnd(cfg);
  EXPECT_EQ(msgs.size(), 20u * 360u);  // every device every 10 s for an hour
  std::map<std::string, std::vector<std::string>> ts;
  for (const auto& [key, value] : msgs) ts[key].push_back(nlohmann::json::parse(value)["ts"]);
  for (auto& [key, list] : ts) {
    std::sort(list.begin(), list.end());
    ASSERT_EQ(list.size(), 360u);
    // Consecutive reports are exactly 10 s apart: same milliseconds, seconds step by 10.
    for (size_t i = 1; i < list.size(); ++i) {
      ASSERT_EQ(list[i].substr(19), list[0].substr(19)) << key;  // ".mmmZ"
    }
    ASSERT_GE(list.front(), "2026-01-01T00:00:00.000Z");
    ASSERT_LT(list.front(), "2026-01-01T00:00:10.000Z");
    ASSERT_LT(list.back(), "2026-01-01T01:00:00.000Z");
  }
}

TEST(WorkerPool, RealtimeSpreadsTheFirstInterval) {
  Config cfg;
  cfg.fleet.devices = 2000;
  cfg.fleet.profiles = DefaultProfiles();
  cfg.run.interval = Millis{1000};
  for (auto& p : cfg.fleet.profiles) p.interval.reset();
  cfg.run.count = 2000;  // one interval's worth
  cfg.run.threads = 2;
  Validate(cfg);
  const Fleet fleet(cfg);
  testing::RecordingSink sink;
  WorkerPool p(cfg, fleet, sink);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(p.Start().has_value());
  // After a fifth of the interval about a fifth of the devices have reported: no burst.
  std::this_thread::sleep_until(t0 + std::chrono::milliseconds(200));
  const uint64_t early = p.Generated();
  p.Join();
  EXPECT_EQ(sink.size(), 2000u);
  EXPECT_LT(early, 1000u) << "reports bunched at start";
}

}  // namespace
}  // namespace iiot

namespace iiot {
namespace {

TEST(WorkerPool, RateModeVisitsDevicesRoundRobin) {
  Config cfg;
  cfg.fleet.devices = 100;
  cfg.fleet.profiles = DefaultProfiles();
  cfg.run.mode = Mode::kRate;
  cfg.run.rate = 5000;
  cfg.run.count = 1000;
  cfg.run.threads = 1;  // with more, the shared count budget splits unevenly between them
  Validate(cfg);
  const auto msgs = RunToEnd(cfg);
  ASSERT_EQ(msgs.size(), 1000u);
  std::map<std::string, std::vector<uint64_t>> seqs;
  for (const auto& [key, value] : msgs) seqs[key].push_back(nlohmann::json::parse(value)["seq"]);
  // 1000 messages over 100 devices in turn: every device exactly 10 times, seq 1..10.
  ASSERT_EQ(seqs.size(), 100u);
  for (auto& [key, s] : seqs) {
    std::sort(s.begin(), s.end());
    ASSERT_EQ(s.size(), 10u) << key;
    for (size_t i = 0; i < s.size(); ++i) ASSERT_EQ(s[i], i + 1) << key;
  }
}

}  // namespace
}  // namespace iiot
