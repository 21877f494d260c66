#include "obs/process_stats.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

namespace iiot {
namespace {

double RusageCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  const auto seconds = [](timeval t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
  };
  return seconds(ru.ru_utime) + seconds(ru.ru_stime);
}

TEST(ProcessStats, CpuTimeAgreesWithGetrusage) {
  volatile double x = 0;  // some CPU work, so there is something to measure
  for (int i = 0; i < 20'000'000; ++i) x = x + 1.0 / (i + 1);
  const double before = RusageCpuSeconds();
  const std::optional<ProcessStats> p = ReadProcessStats();
  const double after = RusageCpuSeconds();
  ASSERT_TRUE(p.has_value());
  // /proc counts whole clock ticks (1/sysconf(_SC_CLK_TCK) s), and rounds down.
  const double tick = 1.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
  EXPECT_GE(p->cpu_seconds, before - 2 * tick);
  EXPECT_LE(p->cpu_seconds, after + tick);
  EXPECT_GT(p->cpu_seconds, 0.0);
}

TEST(ProcessStats, ResidentMemoryIsBelowThePeakAndAboveWhatWeTouched) {
  std::vector<char> block(32 << 20, 1);  // 32 MiB, touched
  const std::optional<ProcessStats> p = ReadProcessStats();
  ASSERT_TRUE(p.has_value());
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  EXPECT_GE(p->resident_bytes, block.size());
  // maxrss is in KiB. The kernel counts RSS per thread in batches, so the two reads can
  // disagree by a few pages; a 1 MiB slack still catches a wrong unit or field.
  EXPECT_LE(p->resident_bytes, static_cast<uint64_t>(ru.ru_maxrss) * 1024 + (1u << 20));
  EXPECT_EQ(block[block.size() - 1], 1);
}

TEST(ProcessStats, ThreadsCountsEveryThread) {
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&] {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return release; });
    });
  }
  const std::optional<ProcessStats> p = ReadProcessStats();
  size_t tasks = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/task")) {
    ++tasks;
  }
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  for (auto& t : threads) t.join();
  ASSERT_TRUE(p.has_value());
  EXPECT_GE(p->threads, 4u);
  EXPECT_EQ(p->threads, tasks);
}

TEST(ProcessStats, StartTimeIsARecentUnixTime) {
  const std::optional<ProcessStats> p = ReadProcessStats();
  ASSERT_TRUE(p.has_value());
  const double now = static_cast<double>(std::time(nullptr));
  EXPECT_LE(p->start_time_s, now + 1);
  EXPECT_GT(p->start_time_s, now - 3600);  // this test process started moments ago
}

}  // namespace
}  // namespace iiot
