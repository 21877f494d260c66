// ConfigWatcher against a real temporary directory: in-place writes, rename-replace, a
// ConfigMap-style symlink swap, coalescing of quick writes, unrelated files, and a prompt
// stop. Each callback records what the file held when it ran, so "no extra call" is
// checked by order (a later marker write must be the next call), not by sleeping. Waits
// poll with generous deadlines.
#include "reload/config_watcher.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace iiot {
namespace {

namespace fs = std::filesystem;
using std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto kDeadline = 5s;

// A fresh directory under the temp directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() / ("iiot_watch_" + std::to_string(::getpid()) + "_" +
                                         info->name() + "_" + std::to_string(counter++));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  fs::path operator/(const std::string& name) const { return path_ / name; }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void Write(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The callbacks: what the watched file held at each call, and the thread they ran on.
class Calls {
 public:
  explicit Calls(fs::path file) : file_(std::move(file)) {}

  std::function<void()> Callback() {
    return [this] {
      char name[16] = {};
      pthread_getname_np(pthread_self(), name, sizeof name);
      std::string content = ReadAll(file_);
      std::lock_guard lock(mu_);
      thread_name_ = name;
      seen_.push_back(std::move(content));
    };
  }

  // Waits until there have been `n` calls; returns what the file held at each (fewer
  // entries when the deadline passed).
  std::vector<std::string> WaitFor(size_t n) {
    const auto end = steady_clock::now() + kDeadline;
    while (true) {
      {
        std::lock_guard lock(mu_);
        if (seen_.size() >= n || steady_clock::now() > end) return seen_;
      }
      std::this_thread::sleep_for(5ms);
    }
  }

  std::vector<std::string> Seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }

  std::string ThreadName() {
    std::lock_guard lock(mu_);
    return thread_name_;
  }

 private:
  const fs::path file_;
  std::mutex mu_;
  std::vector<std::string> seen_;  // guarded by mu_
  std::string thread_name_;        // guarded by mu_
};

using Contents = std::vector<std::string>;

std::unique_ptr<ConfigWatcher> Watch(const fs::path& file, Millis debounce, Calls& calls) {
  auto watcher = ConfigWatcher::Start(file.string(), debounce, calls.Callback());
  EXPECT_TRUE(watcher) << watcher.error().message;
  return watcher ? std::move(*watcher) : nullptr;
}

TEST(ConfigWatcher, InPlaceWriteCallsBackOnTheWatcherThread) {
  TempDir dir;
  Write(dir / "config.yaml", "a: 1\n");
  Calls calls(dir / "config.yaml");
  auto watcher = Watch(dir / "config.yaml", Millis{20}, calls);
  Write(dir / "config.yaml", "a: 2\n");
  EXPECT_EQ(calls.WaitFor(1), Contents{"a: 2\n"});
  EXPECT_EQ(calls.ThreadName(), "iiot-cfg-watch");
}

TEST(ConfigWatcher, RenameOverTheFileIsSeen) {
  TempDir dir;
  Write(dir / "config.yaml", "a: 1\n");
  Calls calls(dir / "config.yaml");
  auto watcher = Watch(dir / "config.yaml", Millis{20}, calls);
  Write(dir / ".config.yaml.tmp", "a: 2\n");  // an editor's temporary file: not the config
  fs::rename(dir / ".config.yaml.tmp", dir / "config.yaml");
  EXPECT_EQ(calls.WaitFor(1), Contents{"a: 2\n"});
}

TEST(ConfigWatcher, FileCreatedAfterStartIsSeen) {
  TempDir dir;
  Calls calls(dir / "config.yaml");
  auto watcher = Watch(dir / "config.yaml", Millis{20}, calls);
  Write(dir / "config.yaml", "a: 1\n");
  EXPECT_EQ(calls.WaitFor(1), Contents{"a: 1\n"});
}

TEST(ConfigWatcher, DeletingTheFileCallsBack) {
  TempDir dir;
  Write(dir / "config.yaml", "a: 1\n");
  Calls calls(dir / "config.yaml");
  auto watcher = Watch(dir / "config.yaml", Millis{0}, calls);
  fs::remove(dir / "config.yaml");
  EXPECT_EQ(calls.WaitFor(1), Contents{""});
}

TEST(ConfigWatcher, ConfigMapSymlinkSwapIsSeen) {
  // The layout Kubernetes mounts: config.yaml -> ..data/config.yaml, ..data -> ..v1.
  TempDir dir;
  fs::create_directory(dir / "..v1");
  Write(dir / "..v1" / "config.yaml", "a: 1\n");
  fs::create_directory_symlink("..v1", dir / "..data");
  fs::create_symlink("..data/config.yaml", dir / "config.yaml");
  Calls calls(dir / "config.yaml");
  auto watcher = Watch(dir / "config.yaml", Millis{20}, calls);
  // An update: a new version directory, a new ..data link renamed over the old one.
  fs::create_directory(dir / "..v2");
  Write(dir / "..v2" / "config.yaml", "a: 2\n");
  fs::create_directory_symlink("..v2", dir / "..data_tmp");
  fs::rename(dir / "..data_tmp", dir / "..data");
  fs::remove_all(dir / "..v1");
  // A slow test thread may let a call in between the steps; the last one sees the update.
  const auto end = steady_clock::now() + kDeadline;
  while ((calls.Seen().empty() || calls.Seen().back() != "a: 2\n") && steady_clock::now() < end) {
    std::this_thread::sleep_for(5ms);
  }
  ASSERT_FALSE(calls.Seen().empty());
  EXPECT_EQ(calls.Seen().back(), "a: 2\n");
}

TEST(ConfigWatcher, QuickWritesCoalesceIntoOneCall) {
  TempDir dir;
  Write(dir / "config.yaml", "a: 0\n");
  Calls calls(dir / "config.yaml");
  const Millis debounce{1000};
  auto watcher = Watch(dir / "config.yaml", debounce, calls);
  auto last = steady_clock::now();
  auto longest_gap = steady_clock::duration::zero();
  for (int i = 1; i <= 10; ++i) {
    Write(dir / "config.yaml", "a: " + std::to_string(i) + "\n");
    const auto now = steady_clock::now();
    longest_gap = std::max(longest_gap, now - last);
    last = now;
  }
  if (longest_gap >= debounce / 2) GTEST_SKIP() << "writes too far apart on this machine";
  ASSERT_EQ(calls.WaitFor(1), Contents{"a: 10\n"});
  // Not before the writes had settled for the debounce.
  EXPECT_GE(steady_clock::now() - last, debounce);
  // The next call is the one for the next write: the burst gave no second call.
  Write(dir / "config.yaml", "a: marker\n");
  EXPECT_EQ(calls.WaitFor(2), (Contents{"a: 10\n", "a: marker\n"}));
}

TEST(ConfigWatcher, UnrelatedFilesInTheDirectoryDoNotCallBack) {
  TempDir dir;
  Write(dir / "config.yaml", "a: 1\n");
  Calls calls(dir / "config.yaml");
  auto watcher = Watch(dir / "config.yaml", Millis{0}, calls);
  Write(dir / "other.yaml", "b: 1\n");
  Write(dir / "config.yaml.bak", "b: 1\n");
  Write(dir / ".config.yaml.swp", "b: 1\n");
  fs::rename(dir / "other.yaml", dir / "other2.yaml");
  fs::remove(dir / "config.yaml.bak");
  fs::create_directory(dir / "sub");
  // Gives the watcher time to handle those on their own, so that a wrong call would see
  // "a: 1" below; the check itself is the content, not this pause.
  std::this_thread::sleep_for(100ms);
  Write(dir / "config.yaml", "a: 2\n");
  EXPECT_EQ(calls.WaitFor(1), Contents{"a: 2\n"});
  Write(dir / "config.yaml", "a: 3\n");
  EXPECT_EQ(calls.WaitFor(2), (Contents{"a: 2\n", "a: 3\n"}));
}

TEST(ConfigWatcher, DestructionIsPromptAndDropsAPendingCall) {
  TempDir dir;
  Write(dir / "config.yaml", "a: 1\n");
  Calls calls(dir / "config.yaml");
  auto watcher = Watch(dir / "config.yaml", Millis{10'000}, calls);
  Write(dir / "config.yaml", "a: 2\n");
  const auto start = steady_clock::now();
  watcher.reset();
  EXPECT_LT(steady_clock::now() - start, 5s);  // the stop does not wait out the 10 s debounce
  EXPECT_EQ(calls.Seen(), Contents{});
}

TEST(ConfigWatcher, FileInTheCurrentDirectory) {
  TempDir dir;
  const fs::path cwd = fs::current_path();
  fs::current_path(dir.path());
  Calls calls(dir / "config.yaml");
  // A debounce, so the file's creation and its content arrive as one call (with none, the
  // call for the creation may read the file still empty).
  auto watcher = Watch("config.yaml", Millis{50}, calls);
  fs::current_path(cwd);
  Write(dir / "config.yaml", "a: 1\n");
  EXPECT_EQ(calls.WaitFor(1), Contents{"a: 1\n"});
}

TEST(ConfigWatcher, MissingDirectoryIsAnErrorNamingThePath) {
  Calls calls("/nonexistent/iiot/config.yaml");
  auto watcher = ConfigWatcher::Start("/nonexistent/iiot/config.yaml", Millis{0}, calls.Callback());
  ASSERT_FALSE(watcher);
  const std::string& error = watcher.error().message;
  EXPECT_NE(error.find("/nonexistent/iiot/config.yaml"), std::string::npos) << error;
  EXPECT_NE(error.find("No such file or directory"), std::string::npos) << error;
}

}  // namespace
}  // namespace iiot
