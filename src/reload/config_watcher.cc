#include "reload/config_watcher.h"

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <optional>
#include <system_error>

namespace iiot {

namespace {

constexpr uint32_t kEvents = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE;

std::string ErrnoText(int err) { return std::generic_category().message(err); }

}  // namespace

Result<std::unique_ptr<ConfigWatcher>> ConfigWatcher::Start(const std::string& path,
                                                            Millis debounce,
                                                            std::function<void()> on_change) {
  const std::filesystem::path file(path);
  const std::string name = file.filename().string();
  std::string dir = file.parent_path().string();
  if (dir.empty()) dir = ".";
  auto fail = [&](const std::string& why) {
    return Fail("cannot watch " + path + " for changes: " + why);
  };
  if (name.empty() || name == "." || name == "..") return fail("not a file name");

  const int inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd < 0) return fail("inotify_init1: " + ErrnoText(errno));
  if (inotify_add_watch(inotify_fd, dir.c_str(), kEvents) < 0) {
    const int err = errno;
    ::close(inotify_fd);
    return fail("inotify_add_watch(" + dir + "): " + ErrnoText(err));
  }
  const int stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (stop_fd < 0) {
    const int err = errno;
    ::close(inotify_fd);
    return fail("eventfd: " + ErrnoText(err));
  }
  std::unique_ptr<ConfigWatcher> watcher(
      new ConfigWatcher(inotify_fd, stop_fd, name, debounce, std::move(on_change)));
  try {
    watcher->thread_ = std::thread([w = watcher.get()] { w->Run(); });
  } catch (const std::system_error& e) {
    return fail(std::string("cannot start the thread: ") + e.what());  // closes the fds
  }
  return watcher;
}

ConfigWatcher::ConfigWatcher(int inotify_fd, int stop_fd, std::string name, Millis debounce,
                             std::function<void()> on_change)
    : inotify_fd_(inotify_fd),
      stop_fd_(stop_fd),
      name_(std::move(name)),
      debounce_(debounce),
      on_change_(std::move(on_change)) {}

ConfigWatcher::~ConfigWatcher() {
  if (thread_.joinable()) {
    const uint64_t one = 1;
    // Cannot fail short of a counter overflow; the thread only needs the fd readable.
    [[maybe_unused]] const ssize_t n = ::write(stop_fd_, &one, sizeof one);
    thread_.join();
  }
  ::close(stop_fd_);
  ::close(inotify_fd_);
}

bool ConfigWatcher::ReadEvents() {
  alignas(inotify_event) char buffer[4096];
  bool relevant = false;
  while (true) {
    const ssize_t n = ::read(inotify_fd_, buffer, sizeof buffer);
    if (n <= 0) return relevant;  // EAGAIN: drained (EINTR: poll again)
    for (ssize_t offset = 0; offset < n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + offset);
      offset += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
      if ((event->mask & IN_Q_OVERFLOW) != 0) {
        relevant = true;  // events were lost: the file may have changed
        continue;
      }
      if (event->len == 0 || (event->mask & kEvents) == 0) continue;
      const std::string_view entry(event->name);  // NUL-padded to len
      if (entry == name_ || entry.rfind("..", 0) == 0) relevant = true;
    }
  }
}

void ConfigWatcher::Run() {
  pthread_setname_np(pthread_self(), "iiot-cfg-watch");
  using Clock = std::chrono::steady_clock;
  std::optional<Clock::time_point> due;  // when the pending change settles
  while (true) {
    int timeout_ms = -1;
    if (due) {
      const auto left = std::chrono::ceil<Millis>(*due - Clock::now()).count();
      timeout_ms = static_cast<int>(left < 0 ? 0 : left);
    }
    pollfd fds[2] = {{stop_fd_, POLLIN, 0}, {inotify_fd_, POLLIN, 0}};
    const int ready = ::poll(fds, 2, timeout_ms);
    if (ready < 0 && errno != EINTR) return;  // cannot happen with valid fds
    if ((fds[0].revents & POLLIN) != 0) return;
    if (ready > 0 && (fds[1].revents & POLLIN) != 0 && ReadEvents()) {
      due = Clock::now() + debounce_;
      continue;
    }
    if (due && Clock::now() >= *due) {
      due.reset();
      on_change_();
    }
  }
}

}  // namespace iiot
