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
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include "../binary_run.h"

extern char** environ;

namespace {

struct Stopped {
  int exit_code = -1;
  std::string err;
  std::string out;  // what it wrote to stdout
  double seconds_to_exit = 0;
};

// One step of a run: wait, do something (may be empty), send a signal.
struct Step {
  std::chrono::milliseconds wait;
  int sig;
  std::function<void()> before = nullptr;
};

// Starts the binary with args, takes the steps, waits for the exit.
Stopped RunWithSignals(std::vector<std::string> args, const std::vector<Step>& steps) {
  const std::string err_path = std::filesystem::temp_directory_path() /
                               ("iiot_signal_" + std::to_string(::getpid()) + ".err");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  const std::string out_path = err_path + ".out";
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  // Any free admin port: tests run in parallel.
  args.insert(args.begin(), {IIOT_PRODUCER_BIN, "--admin-addr", "127.0.0.1:0"});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  Stopped r;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) return r;
  posix_spawn_file_actions_destroy(&actions);
  auto t0 = std::chrono::steady_clock::now();
  for (const Step& step : steps) {
    std::this_thread::sleep_for(step.wait);
    if (step.before) step.before();
    t0 = std::chrono::steady_clock::now();
    ::kill(pid, step.sig);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.seconds_to_exit = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = iiot::testing::TakeFile(err_path);
  r.out = iiot::testing::TakeFile(out_path);
  return r;
}

Stopped RunThenSignal(std::vector<std::string> args, std::chrono::milliseconds run_for, int sig) {
  return RunWithSignals(std::move(args), {{run_for, sig}});
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

TEST(Signals, SighupReloadsTheConfigFile) {
  const std::string path = std::filesystem::temp_directory_path() /
                           ("iiot_sighup_" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << "run:\n  mode: rate\n  rate: 200\nreload:\n  watch: false\n";
  const Stopped r = RunWithSignals(
      {"--config", path, "--devices", "100", "--sink", "stdout"},
      {{std::chrono::milliseconds(1500), SIGHUP,
        [&path] {
          std::ofstream(path) << "run:\n  mode: rate\n  rate: 400\nreload:\n  watch: false\n";
        }},
       {std::chrono::milliseconds(1000), SIGHUP},  // nothing changed this time
       {std::chrono::milliseconds(500), SIGTERM}});
  std::filesystem::remove(path);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("config reloaded (SIGHUP): version 2, changed run.rate"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("config reload (SIGHUP): nothing changed"), std::string::npos) << r.err;
  // Log lines go to stderr, never into the messages on stdout.
  std::istringstream out(r.out);
  size_t lines = 0;
  for (std::string line; std::getline(out, line); ++lines) {
    ASSERT_EQ(line.substr(0, 14), R"({"device_id":")") << line;
  }
  EXPECT_GT(lines, 100u);
  ExpectEverythingDelivered(r.err);
}

TEST(Signals, UserSignalsAreIgnoredAndQuitStopsGracefully) {
  const Stopped r = RunWithSignals({"--devices", "1000", "--interval", "1s", "--sink", "stdout"},
                                   {{std::chrono::milliseconds(1500), SIGUSR1},
                                    {std::chrono::milliseconds(200), SIGUSR2},
                                    {std::chrono::milliseconds(200), SIGUSR1},
                                    {std::chrono::milliseconds(200), SIGALRM},
                                    {std::chrono::milliseconds(500), SIGQUIT}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("SIGUSR1 received: ignored"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("SIGUSR2 received: ignored"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("SIGALRM received: ignored"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("SIGQUIT received: stopping generation"), std::string::npos) << r.err;
  ExpectEverythingDelivered(r.err);
}

}  // namespace
