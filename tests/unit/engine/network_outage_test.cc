// Network outages end to end through the WorkerPool (capturing sink): offline devices send
// nothing; with replay they send what they held, late, in seq order with the original ts;
// without replay, or past a full buffer, readings are counted as unsent and take no seq;
// the same messages for any thread count and for shards.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "config/config_loader.h"
#include "engine/worker_pool.h"
#include "recording_sink.h"

namespace iiot {
namespace {

constexpr UnixMillis kStart = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
constexpr UnixMillis kOutageStart = kStart + 600'000;
constexpr int64_t kOutageMillis = 300'000;

// 200 devices over 2 buildings × 2 floors × 5 rooms, 10 minutes; floor b1-f2 offline for
// 5 minutes from 00:10 (scheduled), and (when `random`) random outages on rooms as well.
Config OutageConfig(uint32_t threads, bool replay, uint32_t buffer = 1000, bool random = false) {
  Config cfg;
  cfg.fleet.devices = 200;
  cfg.fleet.buildings = 2;
  cfg.fleet.floors = 2;
  cfg.fleet.rooms = 5;
  cfg.fleet.profiles = DefaultProfiles();
  cfg.run.mode = Mode::kBackfill;
  cfg.run.from = kStart;
  cfg.run.to = kStart + 1'800'000;
  cfg.run.seed = 11;
  cfg.run.threads = threads;
  cfg.incidents.replay = replay;
  cfg.incidents.replay_buffer = buffer;
  cfg.incidents.schedule = {{IncidentKind::kNetworkOutage, ScopeLevel::kFloor, 1, 2, 0,
                             kOutageStart, Millis{kOutageMillis}}};
  if (random) {
    cfg.incidents.kinds[static_cast<size_t>(IncidentKind::kNetworkOutage)] = {
        40, ScopeLevel::kRoom, Millis{60'000}, Millis{240'000}};
  }
  Validate(cfg);
  return cfg;
}

struct Outcome {
  std::vector<testing::Message> messages;  // in the order the sink got them
  OutageCounts outages;
};

Outcome RunPool(const Config& cfg) {
  const Fleet fleet(cfg);
  testing::RecordingSink sink;
  WorkerPool pool(cfg, fleet, sink);
  EXPECT_TRUE(pool.Start().has_value());
  pool.Join();
  return {testing::Parse(sink.messages()), pool.Outages()};
}

bool InOutageFloor(const testing::Message& m) {
  return m.id.find("-b01-f02-") != std::string::npos;
}

bool Replayed(const testing::Message& m) {
  return m.json["incident"].is_object() && m.json["incident"]["kind"] == "network_outage";
}

TEST(NetworkOutage, ReplayedReadingsComeLateInSeqOrderWithTheirOriginalTime) {
  const Outcome out = RunPool(OutageConfig(2, true));
  ASSERT_GT(out.messages.size(), 10'000u);
  std::map<uint64_t, uint64_t> last_seq;
  std::map<uint64_t, UnixMillis> last_ts;
  UnixMillis newest = 0;  // per worker the stream is in time order; late ones lag behind it
  uint64_t replayed = 0, late = 0;
  for (const testing::Message& m : out.messages) {
    // Every device's messages are in seq order with no gap, and in ts order.
    EXPECT_EQ(m.seq, last_seq[m.device] + 1) << m.id;
    EXPECT_GE(m.ts, last_ts[m.device]) << m.id;
    last_seq[m.device] = m.seq;
    last_ts[m.device] = m.ts;
    const bool offline =
        InOutageFloor(m) && m.ts >= kOutageStart && m.ts < kOutageStart + kOutageMillis;
    // A reading of the floor taken during the outage is exactly a replayed one.
    EXPECT_EQ(offline, Replayed(m)) << m.id << " " << m.ts;
    if (Replayed(m)) {
      ++replayed;
      EXPECT_EQ(m.json["incident"]["scope"], "b01-f02");
      EXPECT_EQ(m.json["incident"]["phase"], "active");
      if (newest - m.ts > 60'000) ++late;
    }
    newest = std::max(newest, m.ts);
  }
  EXPECT_EQ(replayed, out.outages.replayed);
  EXPECT_GT(replayed, 1000u);
  EXPECT_GT(late, replayed / 2);  // most arrive minutes after their time
  EXPECT_EQ(out.outages.held, 0u);
  EXPECT_EQ(out.outages.unsent, 0u);
}

TEST(NetworkOutage, WithoutReplayTheReadingsAreUnsentAndTakeNoSeq) {
  const Outcome with = RunPool(OutageConfig(1, true));
  const Outcome without = RunPool(OutageConfig(1, false));
  EXPECT_EQ(without.outages.replayed, 0u);
  EXPECT_EQ(without.outages.unsent, with.outages.replayed);
  EXPECT_EQ(without.messages.size() + without.outages.unsent, with.messages.size());
  std::map<uint64_t, uint64_t> last_seq;
  for (const testing::Message& m : without.messages) {
    EXPECT_FALSE(Replayed(m)) << m.id;
    EXPECT_FALSE(InOutageFloor(m) && m.ts >= kOutageStart && m.ts < kOutageStart + kOutageMillis)
        << m.id;
    EXPECT_EQ(m.seq, ++last_seq[m.device]) << m.id;
  }
}

TEST(NetworkOutage, AFullBufferLetsTheOldestGo) {
  constexpr uint32_t kBuffer = 4;
  const Outcome all = RunPool(OutageConfig(1, true));
  const Outcome out = RunPool(OutageConfig(1, true, kBuffer));
  std::map<uint64_t, std::vector<UnixMillis>> replayed;
  for (const testing::Message& m : out.messages) {
    if (Replayed(m)) replayed[m.device].push_back(m.ts);
  }
  std::map<uint64_t, std::vector<UnixMillis>> every;
  for (const testing::Message& m : all.messages) {
    if (Replayed(m)) every[m.device].push_back(m.ts);
  }
  ASSERT_FALSE(replayed.empty());
  for (const auto& [device, times] : every) {
    // The newest kBuffer of what the device measured offline.
    const size_t kept = std::min<size_t>(kBuffer, times.size());
    EXPECT_EQ(replayed[device], std::vector<UnixMillis>(times.end() - kept, times.end())) << device;
  }
  EXPECT_EQ(out.outages.replayed + out.outages.unsent, all.outages.replayed);
  EXPECT_GT(out.outages.unsent, 0u);
}

TEST(NetworkOutage, SameMessagesForOneTwoAndFourThreads) {
  const auto raw = [](uint32_t threads) {
    std::vector<std::pair<std::string, std::string>> v;
    for (const testing::Message& m : RunPool(OutageConfig(threads, true, 1000, true)).messages)
      v.emplace_back(m.id, m.json.dump());
    std::sort(v.begin(), v.end());
    return v;
  };
  const auto one = raw(1);
  EXPECT_GT(std::count_if(one.begin(), one.end(),
                          [](const auto& m) {
                            return m.second.find("network_outage") != std::string::npos &&
                                   m.first.find("-b01-f02-") == std::string::npos;
                          }),
            100);  // the random ones too
  EXPECT_EQ(one, raw(2));
  EXPECT_EQ(one, raw(4));
}

TEST(NetworkOutage, ShardsTogetherSendWhatOneInstanceSends) {
  const auto run = [](uint32_t index, uint32_t count) {
    Config cfg = OutageConfig(1, true, 1000, true);
    cfg.run.shard_index = index;
    cfg.run.shard_count = count;
    std::vector<std::string> v;
    for (const testing::Message& m : RunPool(cfg).messages) v.push_back(m.json.dump());
    return v;
  };
  std::vector<std::string> whole = run(0, 1);
  std::vector<std::string> parts;
  for (uint32_t i = 0; i < 3; ++i) {
    const std::vector<std::string> shard = run(i, 3);
    parts.insert(parts.end(), shard.begin(), shard.end());
  }
  std::sort(whole.begin(), whole.end());
  std::sort(parts.begin(), parts.end());
  EXPECT_EQ(whole, parts);
}

}  // namespace
}  // namespace iiot
