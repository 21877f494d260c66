#include "sink/kafka_sink.h"

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "kafka_test_support.h"
#include "sink/embedded_cluster.h"
#include "verify/topic_reader.h"

namespace iiot {
namespace {

class KafkaSinkTest : public sinktest::KafkaTest {};

using namespace std::chrono_literals;
using sinktest::RecordingLog;
using sinktest::SmallCluster;
using sinktest::WaitFor;
using sinktest::Why;

int32_t Murmur2Partition(const std::string& key, int32_t partitions) {
  return rd_kafka_msg_partitioner_murmur2(nullptr, key.data(), key.size(), partitions, nullptr,
                                          nullptr);
}

TEST_F(KafkaSinkTest, RoundTripsEveryMessageOnceWithKeysOnTheirMurmur2Partition) {
  constexpr int kMessages = 100'000;
  constexpr int kKeys = 10'000;
  constexpr int kThreads = 4;
  KafkaConfig k = SmallCluster();
  k.embedded_partitions = 12;
  auto cluster = EmbeddedCluster::Start(k, {});
  ASSERT_TRUE(cluster) << cluster.error().message;
  auto sink = KafkaSink::Create(k, QueueFullPolicy::kBlock, {}, cluster->get());
  ASSERT_TRUE(sink) << sink.error().message;

  std::atomic<int> not_queued{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = t; i < kMessages; i += kThreads) {
        const std::string key = "device-" + std::to_string(i % kKeys);
        const std::string value = key + "|" + std::to_string(i);
        if ((*sink)->Send(key, value, i) != SendResult::kQueued) ++not_queued;
      }
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_EQ(not_queued.load(), 0);
  EXPECT_TRUE((*sink)->Close(30s));
  const DeliveryCounters& c = (*sink)->counters();
  EXPECT_EQ(c.produced.load(), uint64_t{kMessages});
  EXPECT_EQ(c.delivered.load(), uint64_t{kMessages});
  EXPECT_EQ(c.FailedTotal(), 0u);
  EXPECT_EQ(c.dropped.load(), 0u);
  EXPECT_EQ(c.InFlight(), 0u);

  std::vector<int> seen(kMessages, 0);
  std::map<std::string, std::set<int32_t>> partitions_of_key;
  uint64_t mismatched = 0;
  TopicReader reader(k, {}, (*cluster)->bootstraps());
  const Result<void> r = reader.Read(
      [&](int32_t partition, int64_t, std::string_view key, std::string_view value) {
        const size_t bar = value.find('|');
        if (bar == std::string_view::npos || value.substr(0, bar) != key) {
          ++mismatched;
          return;
        }
        ++seen[static_cast<size_t>(std::stoi(std::string(value.substr(bar + 1))))];
        partitions_of_key[std::string(key)].insert(partition);
      },
      10s);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(reader.messages(), uint64_t{kMessages});
  EXPECT_EQ(reader.partitions().size(), 12u);
  EXPECT_EQ(mismatched, 0u);
  EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), kMessages);
  ASSERT_EQ(partitions_of_key.size(), size_t{kKeys});
  for (const auto& [key, parts] : partitions_of_key) {
    ASSERT_EQ(parts.size(), 1u) << key;
    EXPECT_EQ(*parts.begin(), Murmur2Partition(key, 12)) << key;
  }
}

TEST_F(KafkaSinkTest, UnknownPassThroughPropertyIsAConfigErrorNamingItsKeyPath) {
  KafkaConfig k = SmallCluster();
  k.brokers = {"127.0.0.1:9092"};
  k.properties["foo.bar"] = "1";
  auto sink = KafkaSink::Create(k, QueueFullPolicy::kBlock, {});
  ASSERT_FALSE(sink);
  EXPECT_EQ(sink.error().message,
            "kafka.properties.foo.bar: No such configuration property: \"foo.bar\"");
  EXPECT_TRUE(sink.error().config_error);
}

TEST_F(KafkaSinkTest, RejectedOwnSettingNamesOurKey) {
  KafkaConfig k = SmallCluster();
  k.brokers = {"127.0.0.1:9092"};
  k.linger_ms = 1'000'000;  // librdkafka allows at most 900000
  auto sink = KafkaSink::Create(k, QueueFullPolicy::kBlock, {});
  ASSERT_FALSE(sink);
  EXPECT_EQ(sink.error().message.rfind("kafka.linger_ms: ", 0), 0u) << sink.error().message;
  EXPECT_TRUE(sink.error().config_error);
}

TEST_F(KafkaSinkTest, CheckTopicAcceptsAnExistingTopic) {
  const KafkaConfig k = SmallCluster();
  auto cluster = EmbeddedCluster::Start(k, {});
  ASSERT_TRUE(cluster) << cluster.error().message;
  auto sink = KafkaSink::Create(k, QueueFullPolicy::kBlock, {}, cluster->get());
  ASSERT_TRUE(sink) << sink.error().message;
  EXPECT_EQ(Why((*sink)->CheckTopic(5s)), "");
  EXPECT_NE((*sink)->Describe().find((*cluster)->bootstraps()), std::string::npos);
}

TEST_F(KafkaSinkTest, CheckTopicNamesAMissingTopicAndTheBrokers) {
  KafkaConfig k = SmallCluster();
  auto cluster = EmbeddedCluster::Start(k, {});
  ASSERT_TRUE(cluster) << cluster.error().message;
  k.topic = "missing";
  // The mock cluster would auto-create it; make it answer as a broker without it does.
  rd_kafka_mock_topic_set_error((*cluster)->mock(), "missing",
                                RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
  auto sink = KafkaSink::Create(k, QueueFullPolicy::kBlock, {}, cluster->get());
  ASSERT_TRUE(sink) << sink.error().message;
  EXPECT_EQ(Why((*sink)->CheckTopic(2s)),
            "topic \"missing\" does not exist on " + (*cluster)->bootstraps() +
                " and the broker did not create it (auto-creation is off)");
}

TEST_F(KafkaSinkTest, CheckTopicGivesAutoCreationItsSecondsPastAShortAttempt) {
  KafkaConfig k = SmallCluster();
  auto cluster = EmbeddedCluster::Start(k, {});
  ASSERT_TRUE(cluster) << cluster.error().message;
  k.topic = "being-created";
  // "Unknown topic" for the first second, as a broker creating it answers, then known.
  rd_kafka_mock_topic_set_error((*cluster)->mock(), "being-created",
                                RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
  auto sink = KafkaSink::Create(k, QueueFullPolicy::kBlock, {}, cluster->get());
  ASSERT_TRUE(sink) << sink.error().message;
  std::thread created([&] {
    std::this_thread::sleep_for(1s);
    rd_kafka_mock_topic_set_error((*cluster)->mock(), "being-created", RD_KAFKA_RESP_ERR_NO_ERROR);
  });
  const std::string why = Why((*sink)->CheckTopic(300ms));  // shorter than the creation
  created.join();
  EXPECT_EQ(why, "");
}

TEST_F(KafkaSinkTest, CheckTopicNamesUnreachableBrokers) {
  KafkaConfig k = SmallCluster();
  k.brokers = {"127.0.0.1:1"};
  auto sink = KafkaSink::Create(k, QueueFullPolicy::kBlock, {});
  ASSERT_TRUE(sink) << sink.error().message;
  EXPECT_EQ(Why((*sink)->CheckTopic(500ms)), "no broker reachable at 127.0.0.1:1 within 0.5 s");
  EXPECT_FALSE((*sink)->Connected());
}

TEST_F(KafkaSinkTest, ConnectedFollowsTheBrokersAndOutagesNameThem) {
  const KafkaConfig k = SmallCluster();
  auto cluster = EmbeddedCluster::Start(k, {});
  ASSERT_TRUE(cluster) << cluster.error().message;
  RecordingLog log;
  auto sink = KafkaSink::Create(k, QueueFullPolicy::kBlock, log.Fn(), cluster->get());
  ASSERT_TRUE(sink) << sink.error().message;
  KafkaSink& s = *(*sink);
  ASSERT_EQ(s.Send("k", "v", 0), SendResult::kQueued);
  EXPECT_TRUE(WaitFor([&] { return s.Connected(); }));
  ASSERT_TRUE((*cluster)->SetBrokerDown(-1));
  EXPECT_TRUE(WaitFor([&] { return !s.Connected(); }));
  EXPECT_TRUE(WaitFor([&] { return !s.LastError().empty(); }));
  EXPECT_NE(s.LastError().find((*cluster)->bootstraps()), std::string::npos) << s.LastError();
  EXPECT_TRUE(log.Contains((*cluster)->bootstraps())) << log.All();
  ASSERT_TRUE((*cluster)->SetBrokerUp(-1));
  EXPECT_TRUE(WaitFor([&] { return s.Connected(); }));
  EXPECT_TRUE(s.Close(5s));
}

}  // namespace
}  // namespace iiot
