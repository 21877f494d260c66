#include "sink/kafka_stats.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "kafka_test_support.h"
#include "sink/embedded_cluster.h"
#include "sink/kafka_sink.h"

namespace iiot {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;

// Two successive statistics documents captured from librdkafka 2.0.2 producing to a
// three-broker mock cluster: in the first, broker 2 is down (TRY_CONNECT, 260 messages
// queued); in the second it is back.
std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(IIOT_SOURCE_DIR "/tests/unit/sink/testdata/") + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
const std::string kBrokerDown = "kafka_stats_broker_down.json";
const std::string kBrokerBack = "kafka_stats_broker_back.json";

TEST(KafkaStatsAccumulator, ReadsACapturedDocument) {
  const std::string json = Fixture(kBrokerDown);
  ASSERT_FALSE(json.empty());
  KafkaStatsAccumulator acc;
  ASSERT_TRUE(acc.Add(json));
  const KafkaStats& s = acc.Totals();
  EXPECT_EQ(s.brokers_up, 2);
  EXPECT_EQ(s.connects, 8u);  // 1 + 6 + 1
  EXPECT_EQ(s.disconnects, 1u);
  EXPECT_EQ(s.retries, 0u);
  EXPECT_EQ(s.batches, 23u);
  EXPECT_EQ(s.batch_messages, 740u);
  EXPECT_EQ(s.batch_bytes, 12681u);
  EXPECT_EQ(s.queue_messages, 260u);
  EXPECT_EQ(s.queue_bytes, 7771u);
  ASSERT_EQ(s.brokers.size(), 3u);
  EXPECT_EQ(s.brokers[0].name, "127.0.0.1:38713/2");
  EXPECT_DOUBLE_EQ(s.brokers[0].rtt_s, 0.0);  // down: no requests in the interval
  EXPECT_EQ(s.brokers[1].name, "127.0.0.1:43427/3");
  EXPECT_NEAR(s.brokers[1].rtt_s, 0.021441, 1e-12);
  EXPECT_DOUBLE_EQ(s.brokers[1].throttle_s, 0.0);
  EXPECT_EQ(s.brokers[2].name, "127.0.0.1:46693/1");
  EXPECT_TRUE(acc.AnyConnectionUp());
}

TEST(KafkaStatsAccumulator, CumulativeCountersAddTheirGrowthAndWindowsAddUp) {
  KafkaStatsAccumulator acc;
  ASSERT_TRUE(acc.Add(Fixture(kBrokerDown)));
  ASSERT_TRUE(acc.Add(Fixture(kBrokerBack)));
  const KafkaStats& s = acc.Totals();
  EXPECT_EQ(s.brokers_up, 3);
  EXPECT_EQ(s.connects, 10u);  // broker 2 reconnected: 6 -> 8
  EXPECT_EQ(s.disconnects, 1u);
  EXPECT_EQ(s.batches, 23u + 27u);
  EXPECT_EQ(s.batch_messages, 740u + 1260u);
  EXPECT_EQ(s.batch_bytes, 12681u + 20009u);
  EXPECT_EQ(s.queue_messages, 0u);
  EXPECT_EQ(s.queue_bytes, 0u);
}

TEST(KafkaStatsAccumulator, ARebuiltProducerCountsFromZero) {
  KafkaStatsAccumulator acc;
  Json doc = Json::parse(Fixture(kBrokerBack));
  for (auto& [name, b] : doc["brokers"].items()) b["txretries"] = 5;
  ASSERT_TRUE(acc.Add(doc.dump()));
  EXPECT_EQ(acc.Totals().connects, 10u);
  EXPECT_EQ(acc.Totals().retries, 15u);

  // The replacement producer has a new name and its own counters, lower than before.
  doc["name"] = "rdkafka#producer-3";
  for (auto& [name, b] : doc["brokers"].items()) {
    b["connects"] = 1;
    b["disconnects"] = 0;
    b["txretries"] = 2;
  }
  ASSERT_TRUE(acc.Add(doc.dump()));
  EXPECT_EQ(acc.Totals().connects, 13u);
  EXPECT_EQ(acc.Totals().disconnects, 1u);
  EXPECT_EQ(acc.Totals().retries, 21u);
}

TEST(KafkaStatsAccumulator, ALowerValueUnderTheSameNameCountsInFull) {
  KafkaStatsAccumulator acc;
  Json doc = Json::parse(Fixture(kBrokerBack));
  ASSERT_TRUE(acc.Add(doc.dump()));
  doc["brokers"]["127.0.0.1:38713/2"]["connects"] = 3;  // was 8
  ASSERT_TRUE(acc.Add(doc.dump()));
  EXPECT_EQ(acc.Totals().connects, 13u);
  ASSERT_TRUE(acc.Add(doc.dump()));  // unchanged: nothing added
  EXPECT_EQ(acc.Totals().connects, 13u);
}

TEST(KafkaStatsAccumulator, BootstrapEntriesAndTheInternalBrokerAreNotBrokers) {
  const Json doc = {
      {"name", "rdkafka#producer-1"},
      {"brokers",
       {{":0/internal",
         {{"name", ":0/internal"}, {"nodeid", -1}, {"source", "internal"}, {"state", "UP"}}},
        {"10.0.0.1:9092/bootstrap",
         {{"name", "10.0.0.1:9092/bootstrap"},
          {"nodeid", -1},
          {"source", "configured"},
          {"state", "UP"},
          {"connects", 1}}},
        {"10.0.0.2:9092/7",
         {{"name", "10.0.0.2:9092/7"},
          {"nodeid", 7},
          {"source", "learned"},
          {"state", "CONNECT"},
          {"rtt", {{"avg", 1500}}},
          {"throttle", {{"avg", 250000}}}}}}}};
  KafkaStatsAccumulator acc;
  ASSERT_TRUE(acc.Add(doc.dump()));
  EXPECT_EQ(acc.Totals().brokers_up, 0);
  EXPECT_EQ(acc.Totals().connects, 1u);
  ASSERT_EQ(acc.Totals().brokers.size(), 1u);
  EXPECT_EQ(acc.Totals().brokers[0].name, "10.0.0.2:9092/7");
  EXPECT_NEAR(acc.Totals().brokers[0].rtt_s, 0.0015, 1e-12);
  EXPECT_NEAR(acc.Totals().brokers[0].throttle_s, 0.25, 1e-12);
  EXPECT_TRUE(acc.AnyConnectionUp());  // the bootstrap connection

  Json internal_only = doc;
  internal_only["brokers"].erase("10.0.0.1:9092/bootstrap");
  ASSERT_TRUE(acc.Add(internal_only.dump()));
  EXPECT_FALSE(acc.AnyConnectionUp());
}

TEST(KafkaStatsAccumulator, MalformedDocumentsAreIgnoredWithoutThrowing) {
  KafkaStatsAccumulator acc;
  ASSERT_TRUE(acc.Add(Fixture(kBrokerDown)));
  EXPECT_FALSE(acc.Add("{\"brokers\": {"));
  EXPECT_FALSE(acc.Add(""));
  EXPECT_FALSE(acc.Add("[1, 2]"));
  EXPECT_EQ(acc.Totals().connects, 8u);
  EXPECT_EQ(acc.Totals().batches, 23u);
  // Wrong types and missing fields count as absent.
  EXPECT_TRUE(acc.Add(R"({"name": 5, "msg_cnt": "many", "brokers": [1],
                          "topics": {"t": {"batchcnt": {"cnt": -3, "sum": "x"}}}})"));
  EXPECT_TRUE(acc.Add(R"({"brokers": {"b": {"nodeid": "1", "connects": {}}}, "topics": 7})"));
  EXPECT_EQ(acc.Totals().batches, 23u);
  EXPECT_EQ(acc.Totals().queue_messages, 0u);
  EXPECT_EQ(acc.Totals().brokers_up, 0);
  EXPECT_TRUE(acc.Totals().brokers.empty());
}

class KafkaSinkStatsTest : public sinktest::KafkaTest {};

TEST_F(KafkaSinkStatsTest, CountsTheBatchesOfARealRun) {
  KafkaConfig k = sinktest::SmallCluster();
  auto cluster = EmbeddedCluster::Start(k, {});
  ASSERT_TRUE(cluster) << cluster.error().message;
  auto opened = KafkaSink::Create(k, QueueFullPolicy::kBlock, {}, cluster->get());
  ASSERT_TRUE(opened) << opened.error().message;
  KafkaSink& sink = *(*opened);
  EXPECT_EQ(sink.Stats().batches, 0u);

  constexpr int kMessages = 5000;
  for (int i = 0; i < kMessages; ++i) {
    const std::string key = "device-" + std::to_string(i % 100);
    ASSERT_EQ(sink.Send(key, key + "|" + std::to_string(i), 0), SendResult::kQueued);
  }
  ASSERT_TRUE(sinktest::WaitFor([&] { return sink.counters().delivered.load() == kMessages; }));
  // The statistics documents (every second) catch up with what was sent.
  EXPECT_TRUE(sinktest::WaitFor([&] { return sink.Stats().batch_messages >= kMessages; }, 5s));
  EXPECT_TRUE(sinktest::WaitFor([&] { return sink.Stats().queue_messages == 0; }, 5s));
  const KafkaStats s = sink.Stats();
  EXPECT_EQ(s.batch_messages, uint64_t{kMessages});  // no retries on a healthy cluster
  EXPECT_GT(s.batches, 0u);
  EXPECT_LE(s.batches, s.batch_messages);
  EXPECT_GT(s.batch_bytes, 0u);
  EXPECT_EQ(s.retries, 0u);
  // librdkafka connects only to the brokers it needs (the leaders of our partitions).
  EXPECT_GE(s.brokers_up, 1);
  EXPECT_GE(s.connects, uint64_t(s.brokers_up));
  ASSERT_EQ(s.brokers.size(), 3u);
  for (const KafkaStats::Broker& b : s.brokers) {
    EXPECT_NE(b.name.find("127.0.0.1:"), std::string::npos) << b.name;
    EXPECT_GE(b.rtt_s, 0.0);
  }
  EXPECT_TRUE(sink.Close(10s));
}

}  // namespace
}  // namespace iiot
