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
  ASSERT_TRUE(cluster) << cluster.error().message;
  TopicReader reader(k, {}, (*cluster)->bootstraps());
  const Result<void> r = reader.Read(kIgnore, 5s);
  EXPECT_TRUE(r) << r.error().message;
  EXPECT_EQ(reader.messages(), 0u);
  EXPECT_EQ(reader.partitions().size(), 4u);
}

TEST_F(TopicReaderTest, MissingTopicIsAnError) {
  KafkaConfig k = SmallCluster();
  auto cluster = EmbeddedCluster::Start(k, {});
  ASSERT_TRUE(cluster) << cluster.error().message;
  k.topic = "absent";
  // The mock cluster would auto-create it; make it answer as a broker without it does.
  rd_kafka_mock_topic_set_error((*cluster)->mock(), "absent",
                                RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
  const Result<void> r = TopicReader(k, {}, (*cluster)->bootstraps()).Read(kIgnore, 5s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "topic \"absent\" does not exist on " + (*cluster)->bootstraps());
}

TEST_F(TopicReaderTest, UnreachableBrokersAreAnError) {
  KafkaConfig k = SmallCluster();
  k.brokers = {"127.0.0.1:1"};
  const Result<void> r = TopicReader(k, {}).Read(kIgnore, 500ms);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "no broker reachable at 127.0.0.1:1 within 0.5 s");
}

TEST_F(TopicReaderTest, BadPropertyIsAConfigError) {
  KafkaConfig k = SmallCluster();
  k.brokers = {"127.0.0.1:1"};
  k.properties["no.such.thing"] = "x";
  const Result<void> r = TopicReader(k, {}).Read(kIgnore, 500ms);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "kafka.properties.no.such.thing: No such configuration property: \"no.such.thing\"");
  EXPECT_TRUE(r.error().config_error);
}

}  // namespace
}  // namespace iiot
