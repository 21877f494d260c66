// The whole pipeline into the embedded in-process cluster and back: every (device, seq)
// produced is read back exactly once, each device on one partition.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "codec/decoder.h"
#include "config/config_loader.h"
#include "engine/worker_pool.h"
#include "sink/embedded_cluster.h"
#include "sink/kafka_sink.h"
#include "verify/topic_reader.h"

namespace iiot {
namespace {

void Roundtrip(Format format) {
  Config cfg;
  cfg.fleet.devices = 10'000;
  cfg.fleet.profiles = DefaultProfiles();
  cfg.run.mode = Mode::kMax;
  cfg.run.start = 1'767'225'600'000;
  cfg.run.count = 100'000;
  cfg.run.threads = 2;
  cfg.output.format = format;
  Validate(cfg);

  auto cluster = EmbeddedCluster::Start(cfg.kafka, nullptr);
  ASSERT_TRUE(cluster) << cluster.error().message;
  auto sink = KafkaSink::Create(cfg.kafka, cfg.output.on_queue_full, nullptr, cluster->get());
  ASSERT_TRUE(sink) << sink.error().message;
  const Fleet fleet(cfg);
  {
    WorkerPool pool(cfg, fleet, *(*sink));
    EXPECT_TRUE(pool.Start().has_value());
    pool.Join();
    EXPECT_EQ(pool.Generated(), 100'000u);
  }
  ASSERT_TRUE((*sink)->Close(std::chrono::seconds(30)));
  EXPECT_EQ((*sink)->counters().delivered.load(), 100'000u);

  std::set<std::pair<std::string, uint64_t>> seen;
  std::map<std::string, int32_t> partition_of;
  uint64_t duplicates = 0, undecodable = 0, moved = 0;
  TopicReader reader(cfg.kafka, nullptr, (*cluster)->bootstraps());
  const Result<void> r = reader.Read(
      [&](int32_t partition, int64_t, std::string_view key, std::string_view value) {
        DecodedReading d;
        std::string error;
        if (!Decode(format, value, &d, &error)) {
          ++undecodable;
          return;
        }
        EXPECT_EQ(key, d.device_id);
        if (!seen.emplace(d.device_id, d.seq).second) ++duplicates;
        auto [it, inserted] = partition_of.emplace(d.device_id, partition);
        if (!inserted && it->second != partition) ++moved;
      },
      std::chrono::seconds(30));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(reader.messages(), 100'000u);
  EXPECT_EQ(seen.size(), 100'000u);
  EXPECT_EQ(duplicates, 0u);
  EXPECT_EQ(undecodable, 0u);
  EXPECT_EQ(moved, 0u);
  EXPECT_EQ(partition_of.size(), 10'000u);
  // Every device's seq runs 1..n with no hole.
  std::map<std::string, uint64_t> max_seq, count;
  for (const auto& [id, seq] : seen) {
    max_seq[id] = std::max(max_seq[id], seq);
    ++count[id];
  }
  for (const auto& [id, n] : count) ASSERT_EQ(max_seq[id], n) << id;
}

TEST(EmbeddedRoundtrip, JsonEveryDeviceSeqOnce) { Roundtrip(Format::kJson); }
TEST(EmbeddedRoundtrip, ProtobufEveryDeviceSeqOnce) { Roundtrip(Format::kProtobuf); }

}  // namespace
}  // namespace iiot
