// Files that are not regular files (a FIFO, a device, a directory) wherever the program
// reads one: the config file at start and on reload, secret files, TLS files. Each is a
// clear error naming the path, never a hang: a FIFO with no writer used to block open()
// for good (at start, and in the watch thread while it held the reload lock).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "../binary_run.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using iiot::testing::RunBinary;

// A FIFO nobody writes to, removed at the end.
class Fifo {
 public:
  explicit Fifo(const std::string& name)
      : path_(fs::temp_directory_path() / (name + std::to_string(::getpid()))) {
    fs::remove(path_);
    EXPECT_EQ(::mkfifo(path_.c_str(), 0600), 0);
  }
  ~Fifo() { fs::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// `timeout 20` before the binary: a hang shows as exit 124, not as a stuck test.
constexpr const char* kGuard = "timeout 20";

TEST(SpecialFiles, AFifoAsTheConfigFileIsAnErrorNotAHang) {
  const Fifo fifo("iiot_config_fifo_");
  for (const std::string& args :
       {"--config " + fifo.path() + " --sink stdout --count 1", "validate-config " + fifo.path()}) {
    const auto r = RunBinary(args, kGuard);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find(fifo.path() + ": the config file is not a regular file"),
              std::string::npos)
        << r.err;
  }
  const auto env =
      RunBinary("--sink stdout --count 1", "IIOT_CONFIG=" + fifo.path() + " " + kGuard);
  EXPECT_EQ(env.exit_code, 2) << env.err;
}

TEST(SpecialFiles, AFifoAsASecretOrTlsFileIsAnError) {
  const Fifo fifo("iiot_secret_fifo_");
  for (const std::string& env :
       {"IIOT_ADMIN_TOKEN_FILE=" + fifo.path(), "IIOT_KAFKA_SASL_PASSWORD_FILE=" + fifo.path(),
        "IIOT_KAFKA_SECURITY_PROTOCOL=ssl IIOT_KAFKA_TLS_CA_FILE=" + fifo.path()}) {
    const auto r = RunBinary("--sink stdout --count 1", env + " " + kGuard);
    EXPECT_EQ(r.exit_code, 2) << env << "\n" << r.err;
    EXPECT_NE(r.err.find("is not a regular file"), std::string::npos) << env << "\n" << r.err;
  }
}

// The running producer's config file replaced by a FIFO: the reload fails at once with the
// reason, the run goes on, and SIGTERM stops it as usual.
TEST(SpecialFiles, AConfigFileReplacedByAFifoWhileRunningIsARejectedReload) {
  const std::string dir =
      fs::temp_directory_path() / ("iiot_reload_fifo_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string config = dir + "/c.yaml";
  std::ofstream(config) << "run:\n  mode: rate\n  rate: 200\n";
  const std::string err_path = dir + "/err";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  std::vector<std::string> args = {IIOT_PRODUCER_BIN, "--config",  config, "--sink",
                                   "stdout",          "--devices", "100",  "--admin-addr",
                                   "127.0.0.1:0"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  ASSERT_EQ(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const std::string fifo = dir + "/fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  fs::rename(fifo, config);  // what an editor's write-then-rename does, with a FIFO
  std::this_thread::sleep_for(std::chrono::milliseconds(2000));
  const auto t0 = std::chrono::steady_clock::now();
  ::kill(pid, SIGTERM);
  int status = 0;
  for (int i = 0; i < 200 && ::waitpid(pid, &status, WNOHANG) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (::waitpid(pid, &status, WNOHANG) == 0 && !WIFEXITED(status)) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    ADD_FAILURE() << "still running 10 s after SIGTERM";
  }
  const std::string err = iiot::testing::TakeFile(err_path);
  fs::remove_all(dir);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << err;
  EXPECT_LT(seconds, 10.0);
  EXPECT_NE(err.find("config reload (file change) invalid"), std::string::npos) << err;
  EXPECT_NE(err.find("the config file is not a regular file"), std::string::npos) << err;
  EXPECT_NE(err.find("every message delivered"), std::string::npos) << err;
}

}  // namespace
