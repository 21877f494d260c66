// Every sink tells its LatencyObserver about each delivered message, once.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "kafka_test_support.h"
#include "sink/embedded_cluster.h"
#include "sink/kafka_sink.h"
#include "sink/stream_sink.h"

namespace iiot {
namespace {

using namespace std::chrono_literals;

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Counts observations and keeps the smallest and largest latency. Thread-safe.
class CountingObserver final : public LatencyObserver {
 public:
  void Observe(int64_t latency_ns) noexcept override {
    count_.fetch_add(1, std::memory_order_relaxed);
    int64_t seen = min_.load(std::memory_order_relaxed);
    while (latency_ns < seen && !min_.compare_exchange_weak(seen, latency_ns)) {
    }
    seen = max_.load(std::memory_order_relaxed);
    while (latency_ns > seen && !max_.compare_exchange_weak(seen, latency_ns)) {
    }
  }
  uint64_t count() const { return count_.load(); }
  int64_t min() const { return min_.load(); }
  int64_t max() const { return max_.load(); }

 private:
  std::atomic<uint64_t> count_{0};
  std::atomic<int64_t> min_{std::numeric_limits<int64_t>::max()};
  std::atomic<int64_t> max_{std::numeric_limits<int64_t>::min()};
};

class KafkaLatencyTest : public sinktest::KafkaTest {};

TEST_F(KafkaLatencyTest, EveryDeliveredMessageIsObservedFromItsIntendedTime) {
  KafkaConfig k = sinktest::SmallCluster();
  auto cluster = EmbeddedCluster::Start(k, {});
  ASSERT_TRUE(cluster) << cluster.error().message;
  auto sink = KafkaSink::Create(k, QueueFullPolicy::kBlock, {}, cluster->get());
  ASSERT_TRUE(sink) << sink.error().message;
  CountingObserver observer;
  (*sink)->SetLatencyObserver(&observer);

  constexpr int kThreads = 2;
  constexpr int kEach = 5000;
  const int64_t start_ns = NowNs();
  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string key = "device-" + std::to_string(t * kEach + i);
        (void)(*sink)->Send(key, key, NowNs());
      }
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_TRUE((*sink)->Close(30s));
  const int64_t elapsed_ns = NowNs() - start_ns;

  EXPECT_EQ((*sink)->counters().delivered.load(), uint64_t{kThreads * kEach});
  EXPECT_EQ(observer.count(), (*sink)->counters().delivered.load());
  EXPECT_GE(observer.min(), 0);
  EXPECT_LE(observer.max(), elapsed_ns);
}

TEST_F(KafkaLatencyTest, FailedMessagesAreNotObserved) {
  KafkaConfig k = sinktest::SmallCluster();
  k.message_timeout_ms = 300;
  auto cluster = EmbeddedCluster::Start(k, {});
  ASSERT_TRUE(cluster) << cluster.error().message;
  ASSERT_TRUE((*cluster)->SetBrokerDown(-1));
  auto sink = KafkaSink::Create(k, QueueFullPolicy::kBlock, {}, cluster->get());
  ASSERT_TRUE(sink) << sink.error().message;
  CountingObserver observer;
  (*sink)->SetLatencyObserver(&observer);
  for (int i = 0; i < 10; ++i) ASSERT_EQ((*sink)->Send("d", "v", NowNs()), SendResult::kQueued);
  EXPECT_TRUE(sinktest::WaitFor([&] { return (*sink)->counters().FailedTotal() == 10; }));
  (void)(*sink)->Close(1s);
  EXPECT_EQ((*sink)->counters().delivered.load(), 0u);
  EXPECT_EQ(observer.count(), 0u);
}

std::string TempPath() {
  return (std::filesystem::temp_directory_path() /
          ("latency-" + std::to_string(getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name()))
      .string();
}

TEST(StreamSinkLatency, EveryWrittenMessageIsObservedOnce) {
  const std::string path = TempPath();
  auto sink = StreamSink::OpenFile(path, Format::kJson);
  ASSERT_TRUE(sink) << sink.error().message;
  CountingObserver observer;
  (*sink)->SetLatencyObserver(&observer);
  constexpr int kThreads = 3;
  constexpr int kEach = 20'000;  // several 64 KiB flushes, then the rest on Close
  const int64_t start_ns = NowNs();
  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) (void)(*sink)->Send("d", R"({"seq":1})", NowNs());
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_TRUE((*sink)->Close(1s));
  EXPECT_EQ((*sink)->counters().delivered.load(), uint64_t{kThreads * kEach});
  EXPECT_EQ(observer.count(), uint64_t{kThreads * kEach});
  EXPECT_GE(observer.min(), 0);
  EXPECT_LE(observer.max(), NowNs() - start_ns);
  std::filesystem::remove(path);
}

TEST(StreamSinkLatency, AFailedWriteIsNotObserved) {
  auto sink = StreamSink::OpenFile("/dev/full", Format::kJson);
  ASSERT_TRUE(sink) << sink.error().message;
  CountingObserver observer;
  (*sink)->SetLatencyObserver(&observer);
  EXPECT_EQ((*sink)->Send("d", "{}", NowNs()), SendResult::kQueued);
  EXPECT_FALSE((*sink)->Close(1s));
  EXPECT_EQ(observer.count(), 0u);
}

}  // namespace
}  // namespace iiot
