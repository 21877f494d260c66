// A write that takes only part of the buffer (a file at its size limit, a reader that goes
// away): the messages written whole are delivered, the one cut short and the rest failed,
// and the error says where the cut one starts. Run in a child process that lowers its own
// RLIMIT_FSIZE (SIGXFSZ ignored, as the program does), for several limits and formats.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "sink/stream_sink.h"

namespace iiot {
namespace {

using namespace std::chrono_literals;

struct Outcome {
  uint64_t produced = 0, delivered = 0, failed = 0, bytes = 0;
  std::string error;
};

// In a child limited to `limit` bytes per file: writes `count` messages of growing length to
// `path`, closes, and reports the counters on a pipe.
Outcome WriteLimited(const std::string& path, size_t limit, int count, Format format) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit lim{limit, limit};
    ::setrlimit(RLIMIT_FSIZE, &lim);
    auto sink = StreamSink::OpenFile(path, format);
    if (!sink) ::_exit(3);
    for (int i = 0; i < count; ++i) {
      (void)(*sink)->Send(
          "k", std::string(10 + static_cast<size_t>(i % 17), static_cast<char>('a' + i % 26)), 0);
    }
    (void)(*sink)->Close(1s);
    const DeliveryCounters& c = (*sink)->counters();
    const std::string report =
        std::to_string(c.produced.load()) + " " + std::to_string(c.delivered.load()) + " " +
        std::to_string(c.FailedTotal()) + " " + std::to_string(c.bytes_delivered.load()) + " " +
        (*sink)->LastError(FailureCause::kIo);
    (void)!::write(fds[1], report.data(), report.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
    text.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  Outcome o;
  std::istringstream in(text);
  in >> o.produced >> o.delivered >> o.failed >> o.bytes;
  std::getline(in, o.error);
  return o;
}

TEST(StreamSinkPartialWrite, WholeMessagesAreDeliveredAndTheCutOneIsNamed) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("iiot-partial-" + std::to_string(getpid())))
          .string();
  for (const size_t limit : {1000u, 4095u, 70'000u}) {
    const Outcome o = WriteLimited(path, limit, 20'000, Format::kJson);
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string file = ss.str();
    ASSERT_EQ(file.size(), limit);
    const size_t last_newline = file.rfind('\n');
    const auto lines = static_cast<uint64_t>(std::count(file.begin(), file.end(), '\n'));
    EXPECT_GT(o.produced, lines);  // a broken sink takes no more
    EXPECT_EQ(o.delivered, lines) << limit;
    EXPECT_EQ(o.bytes, last_newline + 1) << limit;
    EXPECT_EQ(o.delivered + o.failed, o.produced) << limit;
    if (last_newline + 1 < file.size()) {
      EXPECT_NE(o.error.find("it starts at byte " + std::to_string(last_newline + 1)),
                std::string::npos)
          << o.error;
    }
    EXPECT_NE(o.error.find("File too large"), std::string::npos) << o.error;
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace iiot
