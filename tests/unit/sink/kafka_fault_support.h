// Set-up shared by the fault tests of the Kafka sink (kafka_faults_test.cc,
// kafka_outage_test.cc): an embedded cluster and a sink on it, numbered messages, and the
// topic read back so a test can say exactly which messages arrived and how often.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kafka_test_support.h"
#include "sink/embedded_cluster.h"
#include "sink/kafka_sink.h"
#include "verify/topic_reader.h"

namespace iiot::sinktest {

// The Kafka protocol's ProduceRequest, for rd_kafka_mock_push_request_errors.
inline constexpr int16_t kProduceApiKey = 0;

// The topic as read back: how often each message number arrived, and whether any key's
// numbers came out of order on its partition.
struct ReadBack {
  std::string error;              // the reader's error, "" when it read everything
  std::map<int, int> times_read;  // message number -> how often it was read
  int out_of_order = 0;           // per key, a number lower than the previous one
  int malformed = 0;              // values that are not "m<number>" or keys not "key-<n>"

  int Duplicates() const {
    int n = 0;
    for (const auto& [number, times] : times_read) n += times - 1;
    return n;
  }
};

// Base fixture: Start() brings up the cluster (SmallCluster unless told otherwise) and a
// sink with queue policy block; Send(first, n) sends messages first..first+n-1 as value
// "m<i>" under key "key-<i % 16>", so each key's numbers rise within its partition.
class KafkaFaultTest : public KafkaTest {
 protected:
  void Start(const KafkaConfig& k) {
    kafka_ = k;
    auto c = EmbeddedCluster::Start(kafka_, {});
    ASSERT_TRUE(c) << c.error().message;
    cluster_ = std::move(*c);
    auto s = KafkaSink::Create(kafka_, QueueFullPolicy::kBlock, log_.Fn(), cluster_.get());
    ASSERT_TRUE(s) << s.error().message;
    sink_ = std::move(*s);
  }

  // Sends one message and waits for its delivery: connected, producer id assigned,
  // leaders known. Message number 0.
  void WarmUp() {
    ASSERT_EQ(sink_->Send("key-0", "m0", 0), SendResult::kQueued);
    ASSERT_TRUE(WaitFor([&] { return sink_->counters().delivered.load() == 1; }));
  }

  void Send(int first, int n) {
    for (int i = first; i < first + n; ++i) {
      ASSERT_EQ(sink_->Send("key-" + std::to_string(i % 16), "m" + std::to_string(i), i),
                SendResult::kQueued);
    }
  }

  bool AllReported(std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    return WaitFor([&] { return sink_->counters().InFlight() == 0; }, limit);
  }

  ReadBack Read() {
    ReadBack out;
    std::map<std::string, int> last_of_key;
    TopicReader reader(kafka_, {}, cluster_->bootstraps());
    const Result<void> r = reader.Read(
        [&](int32_t, int64_t, std::string_view key, std::string_view value) {
          if (value.size() < 2 || value[0] != 'm' || key.substr(0, 4) != "key-") {
            ++out.malformed;
            return;
          }
          const int number = std::stoi(std::string(value.substr(1)));
          if (key != "key-" + std::to_string(number % 16)) ++out.malformed;
          ++out.times_read[number];
          auto [it, fresh] = last_of_key.emplace(std::string(key), number);
          if (!fresh) {
            if (number < it->second) ++out.out_of_order;
            it->second = number;
          }
        },
        std::chrono::seconds(10));
    out.error = Why(r);
    return out;
  }

  // The topic holds messages 0..n-1, each exactly once and in order per key.
  void ExpectExactlyOnce(int n) {
    const ReadBack r = Read();
    ASSERT_EQ(r.error, "");
    EXPECT_EQ(r.malformed, 0);
    EXPECT_EQ(r.out_of_order, 0);
    EXPECT_EQ(r.Duplicates(), 0);
    EXPECT_EQ(r.times_read.size(), static_cast<size_t>(n));
    if (!r.times_read.empty()) {
      EXPECT_EQ(r.times_read.begin()->first, 0);
      EXPECT_EQ(r.times_read.rbegin()->first, n - 1);
    }
  }

  const DeliveryCounters& counters() const { return sink_->counters(); }

  KafkaConfig kafka_;
  RecordingLog log_;
  std::unique_ptr<EmbeddedCluster> cluster_;  // outlives sink_ (declared first)
  std::unique_ptr<KafkaSink> sink_;
};

}  // namespace iiot::sinktest
