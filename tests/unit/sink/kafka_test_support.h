// Shared set-up for the Kafka sink tests: an embedded (mock) cluster, a sink on it, a log
// that records lines, and a bounded wait. Everything runs in this process.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "config/config.h"
#include "sink/embedded_cluster.h"
#include "sink/kafka_sink.h"
#include "sink/sink.h"

namespace iiot::sinktest {

// "" for success, else the failure's message: lets a test compare outcomes as text.
inline std::string Why(const Result<void>& r) { return r ? "" : r.error().message; }

// Base fixture of every test that starts a librdkafka client. librdkafka starts its
// threads with C11 thrd_create, which ThreadSanitizer does not intercept; those threads
// then crash inside TSan's allocator, so these tests skip under TSan (ASan/UBSan run them).
class KafkaTest : public ::testing::Test {
 protected:
  void SetUp() override {
#if defined(__SANITIZE_THREAD__)
    GTEST_SKIP() << "librdkafka's threads are invisible to ThreadSanitizer";
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
    GTEST_SKIP() << "librdkafka's threads are invisible to ThreadSanitizer";
#endif
#endif
  }
};

// Collects log lines from any thread.
class RecordingLog {
 public:
  LogFn Fn() {
    return [this](LogLevel, std::string_view line) {
      std::lock_guard lock(mu_);
      lines_.emplace_back(line);
    };
  }
  bool Contains(std::string_view needle) const {
    std::lock_guard lock(mu_);
    for (const auto& l : lines_) {
      if (l.find(needle) != std::string::npos) return true;
    }
    return false;
  }
  std::string All() const {
    std::lock_guard lock(mu_);
    std::string out;
    for (const auto& l : lines_) out += l + "\n";
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::string> lines_;
};

// Polls `done` every 10 ms for up to `limit`; returns its last value.
inline bool WaitFor(const std::function<bool()>& done,
                    std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

inline KafkaConfig SmallCluster(std::string topic = "readings") {
  KafkaConfig k;
  k.topic = std::move(topic);
  k.embedded_brokers = 3;
  k.embedded_partitions = 4;
  // Reconnect quickly when a test brings brokers back.
  k.properties["reconnect.backoff.max.ms"] = "200";
  return k;
}

inline uint64_t Failed(const Sink& sink, FailureCause cause) {
  return sink.counters().failed[static_cast<size_t>(cause)].load();
}

}  // namespace iiot::sinktest
