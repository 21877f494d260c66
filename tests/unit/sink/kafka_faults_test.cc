// Broker-side faults injected into the embedded cluster (librdkafka's mock cluster):
// retriable and non-retriable produce errors, produce requests that time out, partition
// leaders that move. Each test counts every message exactly and reads the topic back.
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>

#include "kafka_fault_support.h"

namespace iiot {
namespace {

using namespace std::chrono_literals;
using sinktest::Failed;
using sinktest::kProduceApiKey;
using sinktest::SmallCluster;
using sinktest::WaitFor;

class KafkaSinkFaults : public sinktest::KafkaFaultTest {};

TEST_F(KafkaSinkFaults, RetriableProduceErrorsAreRetriedWithoutLossOrDuplicates) {
  KafkaConfig k = SmallCluster();
  k.properties["debug"] = "msg";  // logs each produce error, so the test sees them hit
  Start(k);
  WarmUp();
  // The next produce requests, on whichever broker, fail with these retriable errors.
  rd_kafka_mock_push_request_errors(
      cluster_->mock(), kProduceApiKey, 8, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
      RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
      RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR,
      RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
      RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION);
  Send(1, 499);
  ASSERT_TRUE(AllReported());
  EXPECT_EQ(counters().produced.load(), 500u);
  EXPECT_EQ(counters().delivered.load(), 500u);
  EXPECT_EQ(counters().FailedTotal(), 0u);
  for (const rd_kafka_resp_err_t injected :
       {RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
        RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR,
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND}) {
    EXPECT_TRUE(log_.Contains(std::string("encountered error: ") + rd_kafka_err2str(injected)))
        << rd_kafka_err2str(injected);
  }
  EXPECT_TRUE(sink_->Close(5s));
  ExpectExactlyOnce(500);
}

TEST_F(KafkaSinkFaults, ProduceRequestsTimingOutAreSentAgainAndCountedOnce) {
  KafkaConfig k = SmallCluster();
  k.properties["socket.timeout.ms"] = "500";
  Start(k);
  WarmUp();
  // The brokers write the batches but answer after the client gave up on the request
  // (socket.timeout.ms); the client sends them again with the same sequence numbers.
  for (int32_t broker = 1; broker <= 3; ++broker) {
    ASSERT_EQ(rd_kafka_mock_broker_set_rtt(cluster_->mock(), broker, 1500),
              RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  Send(1, 99);
  EXPECT_TRUE(WaitFor([&] { return log_.Contains("request(s) timed out"); })) << log_.All();
  for (int32_t broker = 1; broker <= 3; ++broker) {
    ASSERT_EQ(rd_kafka_mock_broker_set_rtt(cluster_->mock(), broker, 0),
              RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  ASSERT_TRUE(AllReported(20s));
  EXPECT_EQ(counters().produced.load(), 100u);
  EXPECT_EQ(counters().delivered.load(), 100u);
  EXPECT_EQ(counters().FailedTotal(), 0u);
  EXPECT_EQ(sink_->FatalErrors(), 0u);
  EXPECT_TRUE(sink_->Close(5s));
  // Every message is in the log. (librdkafka 2.0.2's mock brokers do not check producer
  // sequence numbers, so they append a resent batch a second time where Kafka would
  // drop it: duplicates are judged against real brokers, in fault.three_brokers.)
  const sinktest::ReadBack r = Read();
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.times_read.size(), 100u);
  EXPECT_EQ(r.malformed, 0);
}

TEST_F(KafkaSinkFaults, NonRetriableProduceErrorIsABrokerErrorWithItsText) {
  Start(SmallCluster());
  WarmUp();
  // The next produce request (holding only this message) is refused for good.
  rd_kafka_mock_push_request_errors(cluster_->mock(), kProduceApiKey, 1,
                                    RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED);
  ASSERT_EQ(sink_->Send("key-1", "m1", 1), SendResult::kQueued);
  ASSERT_TRUE(AllReported());
  EXPECT_EQ(counters().delivered.load(), 1u);
  EXPECT_EQ(Failed(*sink_, FailureCause::kBrokerError), 1u);
  EXPECT_EQ(counters().FailedTotal(), 1u);
  const std::string why = sink_->LastError(FailureCause::kBrokerError);
  EXPECT_NE(why.find("topic \"readings\""), std::string::npos) << why;
  EXPECT_NE(why.find("authoriz"), std::string::npos) << why;

  // librdkafka then refuses the topic at once until its metadata says otherwise (about a
  // second here): those Sends fail and are counted; later ones are delivered.
  std::set<int> queued;
  uint64_t refused = 0;
  for (int i = 2; queued.size() < 20; ++i) {
    const SendResult r = sink_->Send("key-" + std::to_string(i % 16), "m" + std::to_string(i), i);
    ASSERT_TRUE(r == SendResult::kQueued || r == SendResult::kFailed) << static_cast<int>(r);
    if (r == SendResult::kQueued) queued.insert(i);
    refused += r == SendResult::kFailed;
    ASSERT_LT(i, 1000) << "the topic is still refused after 10 s";
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(AllReported());
  EXPECT_EQ(counters().produced.load(), 22u + refused);
  EXPECT_EQ(counters().delivered.load(), 21u);
  EXPECT_EQ(Failed(*sink_, FailureCause::kBrokerError), 1u + refused);
  EXPECT_EQ(counters().FailedTotal(), 1u + refused);
  EXPECT_TRUE(sink_->Close(5s));
  const sinktest::ReadBack r = Read();
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.Duplicates(), 0);
  std::set<int> read;
  for (const auto& [number, times] : r.times_read) read.insert(number);
  queued.insert(0);
  EXPECT_EQ(read, queued);
}

TEST_F(KafkaSinkFaults, MessageTooLargeForTheBrokerIsABrokerError) {
  Start(SmallCluster());
  WarmUp();
  rd_kafka_mock_push_request_errors(cluster_->mock(), kProduceApiKey, 1,
                                    RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE);
  ASSERT_EQ(sink_->Send("key-1", "m1", 1), SendResult::kQueued);
  ASSERT_TRUE(AllReported());
  EXPECT_EQ(Failed(*sink_, FailureCause::kBrokerError), 1u);
  EXPECT_EQ(counters().FailedTotal(), 1u);
  const std::string why = sink_->LastError(FailureCause::kBrokerError);
  EXPECT_NE(why.find("too large"), std::string::npos) << why;
  EXPECT_TRUE(sink_->Close(5s));
  EXPECT_EQ(counters().delivered.load(), 1u);
}

TEST_F(KafkaSinkFaults, MessageOverTheClientLimitIsRefusedAtOnce) {
  KafkaConfig k = SmallCluster();
  k.properties["message.max.bytes"] = "10000";
  Start(k);
  const std::string big(20'000, 'x');
  EXPECT_EQ(sink_->Send("key-0", big, 0), SendResult::kFailed);
  EXPECT_EQ(counters().produced.load(), 1u);
  EXPECT_EQ(Failed(*sink_, FailureCause::kBrokerError), 1u);
  const std::string why = sink_->LastError(FailureCause::kBrokerError);
  EXPECT_NE(why.find("refused by the client"), std::string::npos) << why;
  EXPECT_TRUE(sink_->Close(1s));
  EXPECT_EQ(counters().InFlight(), 0u);
}

TEST_F(KafkaSinkFaults, LeaderMovesMidStreamLoseAndDuplicateNothing) {
  KafkaConfig k = SmallCluster();
  k.properties["debug"] = "msg";  // logs the produce errors the moves cause
  Start(k);
  WarmUp();
  constexpr int kMessages = 20'000;
  std::atomic<int> sent{1};
  std::thread sender([&] {
    for (int i = 1; i < kMessages; ++i) {
      if (sink_->Send("key-" + std::to_string(i % 16), "m" + std::to_string(i), i) !=
          SendResult::kQueued) {
        return;
      }
      sent = i + 1;
      if (i % 200 == 0) std::this_thread::sleep_for(2ms);
    }
  });
  // Twice during the stream, every partition gets a new leader.
  for (int round = 1; round <= 2; ++round) {
    const int target = round * kMessages / 3;
    ASSERT_TRUE(WaitFor([&] { return sent.load() >= target; }, 20s));
    for (int32_t p = 0; p < static_cast<int32_t>(kafka_.embedded_partitions); ++p) {
      ASSERT_EQ(rd_kafka_mock_partition_set_leader(cluster_->mock(), kafka_.topic.c_str(), p,
                                                   (p + round) % 3 + 1),
                RD_KAFKA_RESP_ERR_NO_ERROR);
    }
  }
  sender.join();
  ASSERT_EQ(sent.load(), kMessages);
  EXPECT_TRUE(sink_->Close(20s));
  EXPECT_EQ(counters().produced.load(), uint64_t{kMessages});
  EXPECT_EQ(counters().delivered.load(), uint64_t{kMessages});
  EXPECT_EQ(counters().FailedTotal(), 0u);
  // The old leaders refused batches, so the moves were noticed mid-stream.
  EXPECT_TRUE(log_.Contains("encountered error: Broker: Not leader for partition"));
  ExpectExactlyOnce(kMessages);
}

}  // namespace
}  // namespace iiot
