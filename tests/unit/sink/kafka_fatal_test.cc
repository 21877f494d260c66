// A fatal producer error (as librdkafka 2.0.2's idempotence bug raises after a broker
// restart) makes the sink rebuild its producer; nothing is lost silently.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "kafka_test_support.h"
#include "sink/embedded_cluster.h"
#include "sink/kafka_sink.h"

namespace iiot {
namespace {

class KafkaSinkFatal : public sinktest::KafkaTest {};

using namespace std::chrono_literals;
using sinktest::Failed;
using sinktest::RecordingLog;
using sinktest::SmallCluster;
using sinktest::WaitFor;

TEST_F(KafkaSinkFatal, RebuildsTheProducerAndCountsWhatTheOldOneHeld) {
  const KafkaConfig k = SmallCluster();
  auto cluster = EmbeddedCluster::Start(k, {});
  ASSERT_TRUE(cluster) << cluster.error().message;
  RecordingLog log;
  auto sink = KafkaSink::Create(k, QueueFullPolicy::kBlock, log.Fn(), cluster->get());
  ASSERT_TRUE(sink) << sink.error().message;
  KafkaSink& s = *(*sink);

  for (int i = 0; i < 100; ++i) ASSERT_EQ(s.Send("key", "before", i), SendResult::kQueued);
  ASSERT_TRUE(WaitFor([&] { return s.counters().delivered.load() == 100; }));

  // Held by the producer that is about to fail: queued while the brokers are away.
  ASSERT_TRUE((*cluster)->SetBrokerDown(-1));
  for (int i = 0; i < 50; ++i) ASSERT_EQ(s.Send("key", "held", i), SendResult::kQueued);
  ASSERT_TRUE(s.RaiseFatalError("simulated idempotence failure"));
  ASSERT_TRUE(WaitFor([&] { return s.Rebuilds() == 1; }));
  EXPECT_EQ(s.FatalErrors(), 1u);
  EXPECT_TRUE(WaitFor([&] { return Failed(s, FailureCause::kFatal) == 50; }))
      << Failed(s, FailureCause::kFatal);
  EXPECT_NE(s.LastError(FailureCause::kFatal).find("simulated idempotence failure"),
            std::string::npos)
      << s.LastError(FailureCause::kFatal);
  EXPECT_TRUE(log.Contains("fatal producer error")) << log.All();

  ASSERT_TRUE((*cluster)->SetBrokerUp(-1));
  for (int i = 0; i < 100; ++i) ASSERT_EQ(s.Send("key", "after", i), SendResult::kQueued);
  EXPECT_TRUE(s.Close(10s));
  EXPECT_EQ(s.counters().produced.load(), 250u);
  EXPECT_EQ(s.counters().delivered.load(), 200u);
  EXPECT_EQ(s.counters().FailedTotal(), 50u);
}

TEST_F(KafkaSinkFatal, SendersCarryOnThroughARebuild) {
  const KafkaConfig k = SmallCluster();
  auto cluster = EmbeddedCluster::Start(k, {});
  ASSERT_TRUE(cluster) << cluster.error().message;
  auto sink = KafkaSink::Create(k, QueueFullPolicy::kBlock, {}, cluster->get());
  ASSERT_TRUE(sink) << sink.error().message;
  KafkaSink& s = *(*sink);

  std::atomic<bool> stop{false};
  std::atomic<uint64_t> not_queued{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < 3; ++t) {
    workers.emplace_back([&] {
      for (int i = 0; !stop; ++i) {
        if (s.Send("device-" + std::to_string(i % 50), "value", i) != SendResult::kQueued) {
          ++not_queued;
        }
        if (i % 100 == 0) std::this_thread::sleep_for(1ms);
      }
    });
  }
  ASSERT_TRUE(WaitFor([&] { return s.counters().delivered.load() > 1000; }));
  ASSERT_TRUE(s.RaiseFatalError("during production"));
  ASSERT_TRUE(WaitFor([&] { return s.Rebuilds() == 1; }));
  const uint64_t at_rebuild = s.counters().delivered.load();
  EXPECT_TRUE(WaitFor([&] { return s.counters().delivered.load() > at_rebuild + 1000; }));
  stop = true;
  for (auto& w : workers) w.join();
  EXPECT_EQ(not_queued.load(), 0u);
  EXPECT_TRUE(s.Close(10s));
  const DeliveryCounters& c = s.counters();
  // Every accepted message is accounted for: delivered, or counted as fatal.
  EXPECT_EQ(c.produced.load(), c.delivered.load() + Failed(s, FailureCause::kFatal));
  EXPECT_EQ(c.FailedTotal(), Failed(s, FailureCause::kFatal));
}

}  // namespace
}  // namespace iiot
