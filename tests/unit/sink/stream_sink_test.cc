#include "sink/stream_sink.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace iiot {
namespace {

using namespace std::chrono_literals;

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          (name + "-" + std::to_string(getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name()))
      .string();
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(StreamSink, JsonIsOneValuePerLine) {
  const std::string path = TempPath("json");
  auto sink = StreamSink::OpenFile(path, Format::kJson);
  ASSERT_TRUE(sink) << sink.error().message;
  EXPECT_EQ((*sink)->Send("d1", R"({"seq":1})", 0), SendResult::kQueued);
  EXPECT_EQ((*sink)->Send("d2", R"({"seq":2})", 0), SendResult::kQueued);
  EXPECT_TRUE((*sink)->Close(1s));
  EXPECT_EQ(ReadAll(path), "{\"seq\":1}\n{\"seq\":2}\n");
  EXPECT_EQ((*sink)->counters().delivered.load(), 2u);
  EXPECT_EQ((*sink)->counters().bytes_delivered.load(), 20u);
  EXPECT_EQ((*sink)->counters().InFlight(), 0u);
  std::filesystem::remove(path);
}

TEST(StreamSink, ProtobufIsVarintLengthDelimited) {
  const std::string path = TempPath("pb");
  auto sink = StreamSink::OpenFile(path, Format::kProtobuf);
  ASSERT_TRUE(sink) << sink.error().message;
  const std::string small("\x08\x01\x12", 3);
  const std::string large(300, 'x');  // 300 = varint 0xAC 0x02
  EXPECT_EQ((*sink)->Send("d", small, 0), SendResult::kQueued);
  EXPECT_EQ((*sink)->Send("d", large, 0), SendResult::kQueued);
  EXPECT_EQ((*sink)->Send("d", "", 0), SendResult::kQueued);
  EXPECT_TRUE((*sink)->Close(1s));
  EXPECT_EQ(ReadAll(path),
            std::string("\x03", 1) + small + "\xAC\x02" + large + std::string("\x00", 1));
  EXPECT_EQ((*sink)->counters().delivered.load(), 3u);
  std::filesystem::remove(path);
}

TEST(StreamSink, StdoutGetsJsonLines) {
  ::testing::internal::CaptureStdout();
  {
    auto sink = StreamSink::OpenStdout(Format::kJson);
    ASSERT_TRUE(sink) << sink.error().message;
    EXPECT_EQ((*sink)->Send("d1", "{}", 0), SendResult::kQueued);
    EXPECT_TRUE((*sink)->Close(1s));
    EXPECT_EQ((*sink)->Describe(), "stdout (json lines)");
  }
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "{}\n");
}

TEST(StreamSink, UnwritablePathNamesThePath) {
  auto sink = StreamSink::OpenFile("/nonexistent-iiot-dir/out.jsonl", Format::kJson);
  ASSERT_FALSE(sink);
  EXPECT_EQ(sink.error().message,
            "output.file: cannot open \"/nonexistent-iiot-dir/out.jsonl\" for writing: No such "
            "file or directory");
}

TEST(StreamSink, WriteErrorsAreCountedAsIoAndStopTheSink) {
  auto sink = StreamSink::OpenFile("/dev/full", Format::kJson);
  ASSERT_TRUE(sink) << sink.error().message;
  EXPECT_EQ((*sink)->Send("d", "{}", 0), SendResult::kQueued);  // buffered
  EXPECT_FALSE((*sink)->Close(1s));
  EXPECT_EQ((*sink)->counters().failed[static_cast<size_t>(FailureCause::kIo)].load(), 1u);
  EXPECT_EQ((*sink)->LastError(FailureCause::kIo),
            "write to /dev/full failed: No space left on device");
  EXPECT_EQ((*sink)->Send("d", "{}", 0), SendResult::kStopped);
}

TEST(StreamSink, ConcurrentSendersNeverInterleaveLines) {
  const std::string path = TempPath("concurrent");
  auto sink = StreamSink::OpenFile(path, Format::kJson);
  ASSERT_TRUE(sink) << sink.error().message;
  constexpr int kThreads = 4;
  constexpr int kEach = 10'000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string line =
            "{\"t\":" + std::to_string(t) + ",\"i\":" + std::to_string(i) + "}";
        (void)(*sink)->Send("d", line, 0);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_TRUE((*sink)->Close(1s));
  std::ifstream in(path);
  std::set<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.insert(line);
  EXPECT_EQ(lines.size(), size_t{kThreads * kEach});
  EXPECT_EQ(lines.count("{\"t\":3,\"i\":9999}"), 1u);
  EXPECT_EQ((*sink)->counters().delivered.load(), uint64_t{kThreads * kEach});
  std::filesystem::remove(path);
}

// Each thread writes through a lane of its own: one thread's lines (one worker's devices)
// come out in the order it sent them, with more threads than lanes too.
TEST(StreamSink, EachSendersLinesKeepTheirOrder) {
  const std::string path = TempPath("order");
  auto sink = StreamSink::OpenFile(path, Format::kJson);
  ASSERT_TRUE(sink) << sink.error().message;
  constexpr int kThreads = 20;  // more than the sink's lanes
  constexpr int kEach = 3'000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        (void)(*sink)->Send("d", std::to_string(t) + " " + std::to_string(i), 0);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_TRUE((*sink)->Close(1s));
  std::ifstream in(path);
  std::vector<int> next(kThreads, 0);
  int lines = 0;
  for (int t = 0, i = 0; in >> t >> i; ++lines) {
    ASSERT_TRUE(t >= 0 && t < kThreads) << t;
    EXPECT_EQ(i, next[static_cast<size_t>(t)]) << "thread " << t;
    next[static_cast<size_t>(t)] = i + 1;
  }
  EXPECT_EQ(lines, kThreads * kEach);
  const DeliveryCounters& c = (*sink)->counters();
  EXPECT_EQ(c.produced.load(), uint64_t{kThreads * kEach});
  EXPECT_EQ(c.delivered.load(), c.produced.load());
  std::filesystem::remove(path);
}

// A failed write stops the sink; what the other threads' lanes still hold is counted failed
// at Close, so every accepted message is delivered or failed, none lost from the counts.
TEST(StreamSink, AfterAFailedWriteEveryLaneIsCountedFailed) {
  auto sink = StreamSink::OpenFile("/dev/full", Format::kJson);
  ASSERT_TRUE(sink) << sink.error().message;
  constexpr int kThreads = 4;
  std::atomic<uint64_t> queued{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      const std::string line(300, 'x');
      for (int i = 0; i < 1000; ++i) {
        const SendResult r = (*sink)->Send("d", line, 0);
        if (r == SendResult::kStopped) break;
        queued.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_FALSE((*sink)->Close(1s));
  const DeliveryCounters& c = (*sink)->counters();
  EXPECT_EQ(c.produced.load(), queued.load());
  EXPECT_EQ(c.delivered.load(), 0u);
  EXPECT_EQ(c.FailedTotal(), queued.load());
  EXPECT_GT(queued.load(), 0u);
}

// A thread that goes quiet does not keep its last messages: a later Send from another
// thread writes every lane that has waited 100 ms.
TEST(StreamSink, AQuietThreadsMessagesAreWrittenByOthersSends) {
  const std::string path = TempPath("quiet");
  auto sink = StreamSink::OpenFile(path, Format::kJson);
  ASSERT_TRUE(sink) << sink.error().message;
  std::thread([&] { EXPECT_EQ((*sink)->Send("d", "quiet", 0), SendResult::kQueued); }).join();
  EXPECT_EQ(ReadAll(path), "");  // buffered in that thread's lane
  std::this_thread::sleep_for(150ms);
  EXPECT_EQ((*sink)->Send("d", "busy", 0), SendResult::kQueued);
  // The quiet lane is written ("busy" too if both threads drew the same lane).
  EXPECT_EQ(ReadAll(path).rfind("quiet\n", 0), 0u) << ReadAll(path);
  EXPECT_GE((*sink)->counters().delivered.load(), 1u);
  EXPECT_TRUE((*sink)->Close(1s));
  EXPECT_EQ(ReadAll(path), "quiet\nbusy\n");
  std::filesystem::remove(path);
}

TEST(StreamSink, InterruptStopsLaterSends) {
  const std::string path = TempPath("interrupt");
  auto sink = StreamSink::OpenFile(path, Format::kJson);
  ASSERT_TRUE(sink) << sink.error().message;
  EXPECT_EQ((*sink)->Send("d", "{}", 0), SendResult::kQueued);
  (*sink)->Interrupt();
  EXPECT_EQ((*sink)->Send("d", "{}", 0), SendResult::kStopped);
  EXPECT_TRUE((*sink)->Close(1s));
  EXPECT_EQ(ReadAll(path), "{}\n");
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace iiot
