// SIGTERM and SIGINT against the running binary: generation stops, the queue is flushed,
// the summary accounts for every message, and the exit code says nothing was lost.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <string>
#include <thread>

#include "../binary_run.h"

extern char** environ;

namespace {

struct Stopped {
  int exit_code = -1;
  std::string err;
  double seconds_to_exit = 0;
};

// Starts the binary with args, lets it run for `run_for`, sends `sig`, waits for the exit.
Stopped RunThenSignal(std::vector<std::string> args, std::chrono::milliseconds run_for, int sig) {
  const std::string err_path = std::filesystem::temp_directory_path() /
                               ("iiot_signal_" + std::to_string(::getpid()) + ".err");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  // Any free admin port: tests run in parallel.
  args.insert(args.begin(), {IIOT_PRODUCER_BIN, "--admin-addr", "127.0.0.1:0"});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  Stopped r;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) return r;
  posix_spawn_file_actions_destroy(&actions);
  std::this_thread::sleep_for(run_for);
  const auto t0 = std::chrono::steady_clock::now();
  ::kill(pid, sig);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.seconds_to_exit = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = iiot::testing::TakeFile(err_path);
  return r;
}

// "summary: 9,319 messages ..." and "delivered 9,319 |" must agree.
void ExpectEverythingDelivered(const std::string& err) {
  std::smatch m;
  ASSERT_TRUE(std::regex_search(err, m, std::regex(R"(summary: ([\d,]+) messages)"))) << err;
  const std::string generated = m[1];
  ASSERT_TRUE(std::regex_search(err, m, std::regex(R"(delivered ([\d,]+) \|)"))) << err;
  EXPECT_EQ(m[1], generated) << err;
  EXPECT_NE(generated, "0") << err;
  EXPECT_NE(err.find("every message delivered"), std::string::npos) << err;
}

TEST(Signals, SigtermFlushesAndExitsZero) {
  const Stopped r = RunThenSignal({"--devices", "5000", "--interval", "1s", "--quiet"},
                                  std::chrono::milliseconds(2500), SIGTERM);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("SIGTERM received"), std::string::npos) << r.err;
  ExpectEverythingDelivered(r.err);
  EXPECT_LT(r.seconds_to_exit, 10.0);
}

TEST(Signals, SigintInMaxModeStopsPromptly) {
  const Stopped r = RunThenSignal({"--mode", "max", "--devices", "10000", "--quiet"},
                                  std::chrono::milliseconds(2000), SIGINT);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("SIGINT received"), std::string::npos) << r.err;
  ExpectEverythingDelivered(r.err);
  EXPECT_LT(r.seconds_to_exit, 10.0);
}

}  // namespace
