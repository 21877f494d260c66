#include "sink/embedded_cluster.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "kafka_test_support.h"

namespace iiot {
namespace {

class EmbeddedClusterTest : public sinktest::KafkaTest {};

using sinktest::SmallCluster;

TEST_F(EmbeddedClusterTest, RejectsZeroBrokersNamingTheKey) {
  KafkaConfig k = SmallCluster();
  k.embedded_brokers = 0;
  auto cluster = EmbeddedCluster::Start(k, {});
  ASSERT_FALSE(cluster);
  EXPECT_EQ(cluster.error().message.rfind("kafka.embedded_brokers: ", 0), 0u)
      << cluster.error().message;
  EXPECT_TRUE(cluster.error().config_error);
}

TEST_F(EmbeddedClusterTest, ListsOneBootstrapPerBroker) {
  const KafkaConfig k = SmallCluster();
  auto cluster = EmbeddedCluster::Start(k, {});
  ASSERT_TRUE(cluster) << cluster.error().message;
  const std::string& b = (*cluster)->bootstraps();
  EXPECT_EQ(std::count(b.begin(), b.end(), ','), 2) << b;
  EXPECT_EQ(b.rfind("127.0.0.1:", 0), 0u) << b;
}

}  // namespace
}  // namespace iiot
