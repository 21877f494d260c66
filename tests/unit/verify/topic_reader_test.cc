#include "verify/topic_reader.h"

#include <gtest/gtest.h>

#include "../sink/kafka_test_support.h"
#include "sink/embedded_cluster.h"

namespace iiot {
namespace {

class TopicReaderTest : public sinktest::KafkaTest {};

using namespace std::chrono_literals;
using sinktest::SmallCluster;

const auto kIgnore = [](int32_t, int64_t, std::string_view, std::string_view) {};

TEST_F(TopicReaderTest, EmptyTopicReadsNothing) {
  const KafkaConfig k = SmallCluster();
  auto cluster = EmbeddedCluster::Start(k, {});
  ASSERT_TRUE(cluster) << cluster.error;
  const ReadResult r = TopicReader(k, {}, cluster.value->bootstraps()).Read(kIgnore, 5s);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.messages, 0u);
  EXPECT_EQ(r.partitions.size(), 4u);
}

TEST_F(TopicReaderTest, MissingTopicIsAnError) {
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

TEST_F(TopicReaderTest, UnreachableBrokersAreAnError) {
  KafkaConfig k = SmallCluster();
  k.brokers = {"127.0.0.1:1"};
  const ReadResult r = TopicReader(k, {}).Read(kIgnore, 500ms);
  EXPECT_EQ(r.error, "no broker reachable at 127.0.0.1:1 within 0.5 s");
}

TEST_F(TopicReaderTest, BadPropertyIsAConfigError) {
  KafkaConfig k = SmallCluster();
  k.brokers = {"127.0.0.1:1"};
  k.properties["no.such.thing"] = "x";
  const ReadResult r = TopicReader(k, {}).Read(kIgnore, 500ms);
  EXPECT_EQ(r.error,
            "kafka.properties.no.such.thing: No such configuration property: \"no.such.thing\"");
  EXPECT_TRUE(r.config_error);
}

}  // namespace
}  // namespace iiot
