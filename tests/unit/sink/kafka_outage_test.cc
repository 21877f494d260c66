// Every broker of the embedded cluster going away mid-stream: for a few seconds (all is
// delivered after), for longer than kafka.message_timeout_ms (timed out), and at Close
// (purged). Each test accounts for every message sent.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "kafka_fault_support.h"

namespace iiot {
namespace {

using namespace std::chrono_literals;
using sinktest::Failed;
using sinktest::SmallCluster;
using sinktest::WaitFor;

class KafkaSinkOutage : public sinktest::KafkaFaultTest {
 protected:
  // Sends messages 1, 2, ... about one per millisecond on a thread of its own; the
  // brokers go down after `before`, and sending goes on for `during` after that.
  // Returns how many were sent while the brokers were down.
  int StreamIntoOutage(std::chrono::milliseconds before, std::chrono::milliseconds during) {
    std::atomic<int> sent{1};
    std::atomic<bool> stop{false};
    std::thread sender([&] {
      for (int i = 1; !stop; ++i) {
        if (sink_->Send("key-" + std::to_string(i % 16), "m" + std::to_string(i), i) !=
            SendResult::kQueued) {
          return;
        }
        sent = i + 1;
        std::this_thread::sleep_for(1ms);
      }
    });
    std::this_thread::sleep_for(before);
    EXPECT_TRUE(cluster_->SetBrokerDown(-1));
    const int at_down = sent.load();
    std::this_thread::sleep_for(during);
    stop = true;
    sender.join();
    next_ = sent.load();
    return next_ - at_down;
  }

  int next_ = 1;  // the next message number after StreamIntoOutage
};

TEST_F(KafkaSinkOutage, BrokersDownForSecondsThenUpDeliverEverything) {
  KafkaConfig k = SmallCluster();
  k.message_timeout_ms = 30'000;
  Start(k);
  WarmUp();
  ASSERT_TRUE(WaitFor([&] { return sink_->Connected(); }));
  const int sent_while_down = StreamIntoOutage(300ms, 300ms);
  EXPECT_TRUE(WaitFor([&] { return !sink_->Connected(); }));
  Send(next_, 200);
  std::this_thread::sleep_for(2s);
  EXPECT_FALSE(sink_->Connected());
  EXPECT_GE(counters().InFlight(), static_cast<uint64_t>(sent_while_down + 200));
  EXPECT_EQ(counters().FailedTotal(), 0u);

  ASSERT_TRUE(cluster_->SetBrokerUp(-1));
  const uint64_t total = static_cast<uint64_t>(next_ + 200);
  EXPECT_TRUE(AllReported(20s)) << counters().InFlight() << " still in flight";
  EXPECT_TRUE(WaitFor([&] { return sink_->Connected(); }));
  EXPECT_EQ(counters().produced.load(), total);
  EXPECT_EQ(counters().delivered.load(), total);
  EXPECT_EQ(counters().FailedTotal(), 0u);
  EXPECT_TRUE(sink_->Close(5s));
  ExpectExactlyOnce(static_cast<int>(total));
}

TEST_F(KafkaSinkOutage, OutageLongerThanTheMessageTimeoutCountsEveryMessageOnce) {
  KafkaConfig k = SmallCluster();
  k.message_timeout_ms = 1'000;
  Start(k);
  WarmUp();
  const int sent_while_down = StreamIntoOutage(300ms, 300ms);
  ASSERT_TRUE(AllReported(10s)) << counters().InFlight() << " still in flight";
  const uint64_t timed_out = Failed(*sink_, FailureCause::kTimedOut);
  const uint64_t possibly = Failed(*sink_, FailureCause::kPossiblyPersisted);
  const uint64_t delivered = counters().delivered.load();
  EXPECT_EQ(counters().produced.load(), static_cast<uint64_t>(next_));
  EXPECT_EQ(delivered + timed_out + possibly, static_cast<uint64_t>(next_));
  EXPECT_EQ(counters().FailedTotal(), timed_out + possibly);
  EXPECT_GE(timed_out + possibly, static_cast<uint64_t>(sent_while_down));
  if (timed_out > 0) {
    EXPECT_NE(sink_->LastError(FailureCause::kTimedOut).find("kafka.message_timeout_ms"),
              std::string::npos);
  }

  // Back up: later messages go through, and the topic holds each delivered one once.
  ASSERT_TRUE(cluster_->SetBrokerUp(-1));
  Send(next_, 100);
  ASSERT_TRUE(AllReported(10s));
  EXPECT_EQ(counters().delivered.load(), delivered + 100);
  EXPECT_EQ(counters().FailedTotal(), timed_out + possibly);
  EXPECT_TRUE(sink_->Close(5s));
  const sinktest::ReadBack r = Read();
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.Duplicates(), 0);
  EXPECT_EQ(r.out_of_order, 0);
  // The possibly persisted ones may or may not be in the log; nothing else may.
  EXPECT_GE(r.times_read.size(), delivered + 100);
  EXPECT_LE(r.times_read.size(), delivered + 100 + possibly);
  for (int i = next_; i < next_ + 100; ++i) EXPECT_EQ(r.times_read.count(i), 1u) << i;
}

TEST_F(KafkaSinkOutage, CloseDuringAnOutageCountsTheRestAsPurged) {
  Start(SmallCluster());  // message timeout 300 s: nothing times out here
  WarmUp();
  const int sent_while_down = StreamIntoOutage(300ms, 300ms);
  EXPECT_FALSE(sink_->Close(300ms));
  const uint64_t purged = Failed(*sink_, FailureCause::kPurged);
  EXPECT_GE(purged, static_cast<uint64_t>(sent_while_down));
  EXPECT_EQ(counters().FailedTotal(), purged);
  EXPECT_EQ(counters().produced.load(), static_cast<uint64_t>(next_));
  EXPECT_EQ(counters().delivered.load() + purged, static_cast<uint64_t>(next_));
  EXPECT_EQ(counters().InFlight(), 0u);
  EXPECT_NE(sink_->LastError(FailureCause::kPurged).find("flush bound"), std::string::npos)
      << sink_->LastError(FailureCause::kPurged);
}

}  // namespace
}  // namespace iiot
