#include "sink/topic_reader.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "kafka_test_support.h"
#include "sink/embedded_cluster.h"

namespace iiot {
namespace {

using namespace std::chrono_literals;
using testing::SmallCluster;

const auto kIgnore = [](int32_t, int64_t, std::string_view, std::string_view) {};

TEST(TopicReader, EmptyTopicReadsNothing) {
  const KafkaConfig k = SmallCluster();
  auto cluster = EmbeddedCluster::Start(k, {});
  ASSERT_TRUE(cluster) << cluster.error;
  const ReadResult r = TopicReader(k, {}, cluster.value->bootstraps()).Read(kIgnore, 5s);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.messages, 0u);
  EXPECT_EQ(r.partitions.size(), 4u);
}

TEST(TopicReader, MissingTopicIsAnError) {
  KafkaConfig k = SmallCluster();
  auto cluster = EmbeddedCluster::Start(k, {});
  ASSERT_TRUE(cluster) << cluster.error;
  k.topic = "absent";
  // The mock cluster would auto-create it; make it answer as a broker without it does.
  rd_kafka_mock_topic_set_error(cluster.value->mock(), "absent",
                                RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
  const ReadResult r = TopicReader(k, {}, cluster.value->bootstraps()).Read(kIgnore, 5s);
  EXPECT_EQ(r.error, "topic \"absent\" does not exist on " + cluster.value->bootstraps());
}

TEST(TopicReader, UnreachableBrokersAreAnError) {
  KafkaConfig k = SmallCluster();
  k.brokers = {"127.0.0.1:1"};
  const ReadResult r = TopicReader(k, {}).Read(kIgnore, 500ms);
  EXPECT_EQ(r.error, "no broker reachable at 127.0.0.1:1 within 0.5 s");
}

TEST(TopicReader, BadPropertyIsAConfigError) {
  KafkaConfig k = SmallCluster();
  k.brokers = {"127.0.0.1:1"};
  k.properties["no.such.thing"] = "x";
  const ReadResult r = TopicReader(k, {}).Read(kIgnore, 500ms);
  EXPECT_EQ(r.error,
            "kafka.properties.no.such.thing: No such configuration property: \"no.such.thing\"");
  EXPECT_TRUE(r.config_error);
}

TEST(EmbeddedCluster, RejectsZeroBrokersNamingTheKey) {
  KafkaConfig k = SmallCluster();
  k.embedded_brokers = 0;
  auto cluster = EmbeddedCluster::Start(k, {});
  ASSERT_FALSE(cluster);
  EXPECT_EQ(cluster.error.rfind("kafka.embedded_brokers: ", 0), 0u) << cluster.error;
  EXPECT_TRUE(cluster.config_error);
}

TEST(EmbeddedCluster, ListsOneBootstrapPerBroker) {
  const KafkaConfig k = SmallCluster();
  auto cluster = EmbeddedCluster::Start(k, {});
  ASSERT_TRUE(cluster) << cluster.error;
  const std::string& b = cluster.value->bootstraps();
  EXPECT_EQ(std::count(b.begin(), b.end(), ','), 2) << b;
  EXPECT_EQ(b.rfind("127.0.0.1:", 0), 0u) << b;
}

}  // namespace
}  // namespace iiot
