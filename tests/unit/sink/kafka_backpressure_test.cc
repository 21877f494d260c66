// Queue-full policies, delivery timeouts and Close against an embedded cluster whose
// brokers are down.
#include <gtest/gtest.h>

#include <thread>

#include "kafka_test_support.h"
#include "sink/embedded_cluster.h"
#include "sink/kafka_sink.h"

namespace iiot {
namespace {

class KafkaSinkBackPressure : public sinktest::KafkaTest {};

using namespace std::chrono_literals;
using sinktest::Failed;
using sinktest::SmallCluster;
using sinktest::WaitFor;

struct DownCluster {
  explicit DownCluster(KafkaConfig k, QueueFullPolicy policy) : kafka(std::move(k)) {
    auto c = EmbeddedCluster::Start(kafka, {});
    EXPECT_TRUE(c) << c.error().message;
    cluster = std::move(*c);
    EXPECT_TRUE(cluster->SetBrokerDown(-1));
    auto s = KafkaSink::Create(kafka, policy, {}, cluster.get());
    EXPECT_TRUE(s) << s.error().message;
    sink = std::move(*s);
  }
  KafkaConfig kafka;
  std::unique_ptr<EmbeddedCluster> cluster;
  std::unique_ptr<KafkaSink> sink;
};

KafkaConfig TinyQueue() {
  KafkaConfig k = SmallCluster();
  k.queue_max_messages = 10;
  return k;
}

TEST_F(KafkaSinkBackPressure, DropPolicyCountsEveryDroppedMessage) {
  DownCluster env(TinyQueue(), QueueFullPolicy::kDrop);
  int queued = 0;
  int dropped = 0;
  for (int i = 0; i < 100; ++i) {
    const SendResult r = env.sink->Send("key", "value", i);
    queued += r == SendResult::kQueued;
    dropped += r == SendResult::kDropped;
  }
  EXPECT_EQ(queued, 10);
  EXPECT_EQ(dropped, 90);
  EXPECT_EQ(env.sink->counters().dropped.load(), 90u);
  EXPECT_EQ(env.sink->counters().produced.load(), 10u);
  EXPECT_FALSE(env.sink->Close(100ms));
  EXPECT_EQ(Failed(*env.sink, FailureCause::kPurged), 10u);
  EXPECT_EQ(env.sink->counters().InFlight(), 0u);
}

TEST_F(KafkaSinkBackPressure, BlockPolicyCountsBlockedTimeAndInterruptReleasesTheSender) {
  DownCluster env(TinyQueue(), QueueFullPolicy::kBlock);
  for (int i = 0; i < 10; ++i) ASSERT_EQ(env.sink->Send("key", "value", i), SendResult::kQueued);
  SendResult blocked = SendResult::kQueued;
  std::thread sender([&] { blocked = env.sink->Send("key", "one too many", 10); });
  std::this_thread::sleep_for(200ms);
  env.sink->Interrupt();
  sender.join();
  EXPECT_EQ(blocked, SendResult::kStopped);
  EXPECT_GE(env.sink->counters().blocked_ns.load(), 150'000'000u);
  EXPECT_EQ(env.sink->Send("key", "after interrupt", 11), SendResult::kStopped);
  EXPECT_EQ(env.sink->counters().produced.load(), 10u);
  EXPECT_FALSE(env.sink->Close(100ms));
  EXPECT_EQ(Failed(*env.sink, FailureCause::kPurged), 10u);
}

TEST_F(KafkaSinkBackPressure, BlockedSenderCarriesOnWhenBrokersReturn) {
  DownCluster env(TinyQueue(), QueueFullPolicy::kBlock);
  for (int i = 0; i < 10; ++i) ASSERT_EQ(env.sink->Send("key", "value", i), SendResult::kQueued);
  SendResult blocked = SendResult::kStopped;
  std::thread sender([&] { blocked = env.sink->Send("key", "waited", 10); });
  std::this_thread::sleep_for(200ms);
  ASSERT_TRUE(env.cluster->SetBrokerUp(-1));
  sender.join();
  EXPECT_EQ(blocked, SendResult::kQueued);
  EXPECT_TRUE(env.sink->Close(10s));
  EXPECT_EQ(env.sink->counters().delivered.load(), 11u);
  EXPECT_GT(env.sink->counters().blocked_ns.load(), 0u);
}

TEST_F(KafkaSinkBackPressure, DeliveryTimeoutIsCountedWithItsCause) {
  KafkaConfig k = SmallCluster();
  k.message_timeout_ms = 300;
  DownCluster env(k, QueueFullPolicy::kBlock);
  for (int i = 0; i < 5; ++i) ASSERT_EQ(env.sink->Send("key", "value", i), SendResult::kQueued);
  EXPECT_TRUE(WaitFor([&] { return Failed(*env.sink, FailureCause::kTimedOut) == 5; }));
  EXPECT_NE(env.sink->LastError(FailureCause::kTimedOut).find("kafka.message_timeout_ms"),
            std::string::npos)
      << env.sink->LastError(FailureCause::kTimedOut);
  EXPECT_TRUE(env.sink->Close(100ms));  // nothing was left to purge
  EXPECT_EQ(env.sink->counters().delivered.load(), 0u);
}

TEST_F(KafkaSinkBackPressure, CloseWithBrokersDownPurgesAndCountsWhatWasQueued) {
  DownCluster env(SmallCluster(), QueueFullPolicy::kBlock);
  for (int i = 0; i < 5; ++i) ASSERT_EQ(env.sink->Send("key", "value", i), SendResult::kQueued);
  EXPECT_FALSE(env.sink->Close(200ms));
  EXPECT_EQ(Failed(*env.sink, FailureCause::kPurged), 5u);
  EXPECT_FALSE(env.sink->LastError(FailureCause::kPurged).empty());
  EXPECT_EQ(env.sink->counters().InFlight(), 0u);
  EXPECT_FALSE(env.sink->Close(200ms));  // the second call repeats the first answer
  EXPECT_EQ(env.sink->Send("key", "late", 9), SendResult::kStopped);
}

TEST_F(KafkaSinkBackPressure, TimeoutInFlightIsPossiblyPersisted) {
  KafkaConfig k = SmallCluster();
  k.message_timeout_ms = 500;
  auto cluster = EmbeddedCluster::Start(k, {});
  ASSERT_TRUE(cluster) << cluster.error().message;
  auto sink = KafkaSink::Create(k, QueueFullPolicy::kBlock, {}, cluster->get());
  ASSERT_TRUE(sink) << sink.error().message;
  // Connected, producer id assigned, partition leaders known: the next messages go out.
  ASSERT_EQ((*sink)->Send("key", "warm-up", 0), SendResult::kQueued);
  ASSERT_TRUE(WaitFor([&] { return (*sink)->counters().delivered.load() == 1; }));
  for (int32_t broker = 1; broker <= 3; ++broker) {
    ASSERT_EQ(rd_kafka_mock_broker_set_rtt((*cluster)->mock(), broker, 3000),
              RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  for (int i = 0; i < 5; ++i) ASSERT_EQ((*sink)->Send("key", "value", i), SendResult::kQueued);
  EXPECT_TRUE(WaitFor([&] { return Failed(*(*sink), FailureCause::kPossiblyPersisted) == 5; }, 10s))
      << "timed_out=" << Failed(*(*sink), FailureCause::kTimedOut);
  for (int32_t broker = 1; broker <= 3; ++broker) {
    (void)rd_kafka_mock_broker_set_rtt((*cluster)->mock(), broker, 0);
  }
  EXPECT_FALSE((*sink)->LastError(FailureCause::kPossiblyPersisted).empty());
  (*sink)->Close(1s);
}

}  // namespace
}  // namespace iiot
