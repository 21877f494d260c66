// Running the built iiot-producer binary from a test, as a user would from a shell:
// stdout and stderr captured, exit code returned. IIOT_CONFIG and IIOT_KAFKA_BROKERS
// from the test's own environment are removed so they cannot change the outcome, and the
// admin server binds any free port (tests run in parallel).
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace iiot::testing {

struct BinaryResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// The whole content of the file at `path`, which is then removed (a captured stderr).
inline std::string TakeFile(const std::string& path) {
  std::stringstream ss;
  {
    std::ifstream in(path);
    ss << in.rdbuf();
  }
  std::filesystem::remove(path);
  return ss.str();
}

// Runs the binary with `args` (shell syntax) and an optional environment prefix
// ("IIOT_RUN_MODE=fastest").
inline BinaryResult RunBinary(const std::string& args, const std::string& env = "") {
  const std::string err_file =
      std::filesystem::temp_directory_path() / ("iiot_binary_err_" + std::to_string(::getpid()));
  const std::string cmd = "env -u IIOT_CONFIG -u IIOT_KAFKA_BROKERS IIOT_ADMIN_ADDR=127.0.0.1:0 " +
                          env + " " + IIOT_PRODUCER_BIN + " " + args + " 2>" + err_file;
  BinaryResult r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = TakeFile(err_file);
  return r;
}

// The binary running in the background with `args` (its admin server on any free port),
// stderr and stdout to files, until Stop.
class BackgroundRun {
 public:
  explicit BackgroundRun(std::vector<std::string> args)
      : err_path_(std::filesystem::temp_directory_path() /
                  ("iiot_background_" + std::to_string(::getpid()) + ".err")) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    args.insert(args.begin(), {IIOT_PRODUCER_BIN, "--admin-addr", "127.0.0.1:0"});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~BackgroundRun() {
    if (pid_ > 0) Stop(SIGKILL);
    std::filesystem::remove(err_path_);
  }

  // What it wrote to stderr so far.
  std::string Err() const {
    std::ifstream in(err_path_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  // The admin server's port, from its log line; 0 when not logged within 20 s.
  int AdminPort() const {
    const std::regex line(R"(admin HTTP on http://127\.0\.0\.1:(\d+))");
    for (int i = 0; i < 200 && pid_ > 0; ++i) {
      std::smatch m;
      const std::string err = Err();
      if (std::regex_search(err, m, line)) return std::stoi(m[1]);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return 0;
  }
  // Sends `sig`, waits for the exit; the exit code (-1 when killed by a signal).
  int Stop(int sig = SIGTERM) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  const std::string err_path_;
  pid_t pid_ = -1;
};

}  // namespace iiot::testing
