// What a WorkerPool counts and measures for metrics: anomaly episodes and labelled messages
// per kind (checked against the messages that reached the sink), and the encode-time and
// schedule-lag probes.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "config/config_loader.h"
#include "engine/worker_pool.h"
#include "recording_sink.h"

namespace iiot {
namespace {

using testing::Message;
using testing::Parse;
using testing::RecordingSink;

AnomalyKind KindNamed(const std::string& name) {
  for (int k = 1; k < kAnomalyKindCount; ++k) {
    if (name == Name(static_cast<AnomalyKind>(k))) return static_cast<AnomalyKind>(k);
  }
  ADD_FAILURE() << "unknown anomaly kind " << name;
  return AnomalyKind::kNone;
}

AnomalyKind KindOf(const Message& m) {
  const nlohmann::json& a = m.json["anomaly"];
  return a.is_null() ? AnomalyKind::kNone : KindNamed(a["kind"].get<std::string>());
}

TEST(RunCounters, AnomalyTotalsMatchTheLabelledMessages) {
  Config cfg;
  cfg.fleet.devices = 200;
  cfg.fleet.profiles = DefaultProfiles();
  cfg.run.mode = Mode::kMax;
  cfg.run.start = 1'767'225'600'000;
  cfg.run.count = 30'000;
  cfg.run.threads = 2;
  // Frequent episodes of a known length (4; spikes 1), so the output cuts into episodes.
  cfg.anomalies = {0.02, 0.02, 0.02, 0.02, 0.02, 4, 4};
  Validate(cfg);
  const Fleet fleet(cfg);
  RecordingSink sink;
  WorkerPool p(cfg, fleet, sink);
  EXPECT_TRUE(p.Start().has_value());
  p.Join();
  const std::vector<Message> msgs = Parse(sink.messages());
  ASSERT_EQ(msgs.size(), 30'000u);

  std::map<uint64_t, std::vector<const Message*>> by_device;
  for (const Message& m : msgs) by_device[m.device].push_back(&m);
  std::array<uint64_t, kAnomalyKindCount> episodes{}, labelled{};
  for (auto& [device, list] : by_device) {
    std::sort(list.begin(), list.end(),
              [](const Message* a, const Message* b) { return a->seq < b->seq; });
    size_t episode_end = 0;  // index after the running episode
    for (size_t i = 0; i < list.size(); ++i) {
      const AnomalyKind kind = KindOf(*list[i]);
      if (kind == AnomalyKind::kNone) continue;
      ++labelled[static_cast<size_t>(kind)];
      if (i >= episode_end) {
        ++episodes[static_cast<size_t>(kind)];
        episode_end = i + (kind == AnomalyKind::kSpike ? 1 : 4);
      }
    }
  }
  EXPECT_EQ(p.AnomalyMessages(), labelled);
  EXPECT_EQ(p.AnomalyEpisodes(), episodes);
  for (int k = 1; k < kAnomalyKindCount; ++k)
    EXPECT_GT(episodes[static_cast<size_t>(k)], 0u) << Name(static_cast<AnomalyKind>(k));
  EXPECT_EQ(episodes[0], 0u);
  EXPECT_EQ(p.AnomalyMessages()[0], 0u);
}

// Counts its observations and keeps the smallest. Thread-safe.
class CountingObserver : public LatencyObserver {
 public:
  void Observe(int64_t ns) noexcept override {
    calls.fetch_add(1);
    int64_t seen = smallest.load();
    while (ns < seen && !smallest.compare_exchange_weak(seen, ns)) {
    }
  }
  std::atomic<uint64_t> calls{0};
  std::atomic<int64_t> smallest{std::numeric_limits<int64_t>::max()};
};

// Runs cfg to its --count with both probes attached.
void RunWithProbes(const Config& cfg, CountingObserver* encode, CountingObserver* lag) {
  const Fleet fleet(cfg);
  RecordingSink sink;
  WorkerPool p(cfg, fleet, sink);
  p.SetProbes(encode, lag);
  EXPECT_TRUE(p.Start().has_value());
  p.Join();
  EXPECT_EQ(sink.size(), cfg.run.count);
}

TEST(RunCounters, RateModeProbesOneMessageIn64) {
  Config cfg;
  cfg.fleet.devices = 50;
  cfg.fleet.profiles = DefaultProfiles();
  cfg.run.mode = Mode::kRate;
  cfg.run.rate = 20'000;
  cfg.run.count = 6400;
  cfg.run.threads = 1;
  Validate(cfg);
  CountingObserver encode, lag;
  RunWithProbes(cfg, &encode, &lag);
  EXPECT_EQ(encode.calls.load(), 100u);
  EXPECT_EQ(lag.calls.load(), 100u);
  EXPECT_GE(encode.smallest.load(), 0);
  EXPECT_GE(lag.smallest.load(), 0);
}

TEST(RunCounters, MaxModeProbesEncodeButHasNoSchedule) {
  Config cfg;
  cfg.fleet.devices = 50;
  cfg.fleet.profiles = DefaultProfiles();
  cfg.run.mode = Mode::kMax;
  cfg.run.count = 6400;
  cfg.run.threads = 1;
  Validate(cfg);
  CountingObserver encode, lag;
  RunWithProbes(cfg, &encode, &lag);
  EXPECT_EQ(encode.calls.load(), 100u);
  EXPECT_EQ(lag.calls.load(), 0u);
}

TEST(RunCounters, ProbesMayBeNull) {
  Config cfg;
  cfg.fleet.devices = 50;
  cfg.fleet.profiles = DefaultProfiles();
  cfg.run.mode = Mode::kRate;
  cfg.run.rate = 50'000;
  cfg.run.count = 1000;
  cfg.run.threads = 2;
  Validate(cfg);
  CountingObserver encode;
  RunWithProbes(cfg, &encode, nullptr);
  RunWithProbes(cfg, nullptr, nullptr);
  EXPECT_GE(encode.calls.load(), 14u);  // 1000 messages over two workers' ticks
}

}  // namespace
}  // namespace iiot
