// ConfigWatcher: tells its owner when the config file has changed, so the program can
// reload it. It watches the file's directory with inotify rather than the file itself,
// because editors replace a file by renaming a new one over it and Kubernetes updates a
// mounted ConfigMap by swapping its "..data" symlink; a watch on the old inode would miss
// both. Events count when they name the file, or an entry starting with ".." (the
// ConfigMap's), and are IN_CLOSE_WRITE, IN_MOVED_TO, IN_CREATE or IN_DELETE; the queue
// overflowing counts too. The callback runs once the events have stopped for `debounce`,
// so a burst of writes (or a ConfigMap swap's several steps) gives one call.
//
// A file that is itself a symlink to another directory (other than a ConfigMap's) is not
// followed: changes of the target are not seen.
//
// Thread-safety: Start and the destructor are called by the owner (any one thread). The
// callback runs on the watcher's own thread, "iiot-cfg-watch", one call at a time, never
// after the destructor has returned. It must not throw (std::terminate) and must not
// destroy the watcher (the destructor joins that thread).
//
// Example:
//   std::string error;
//   auto watcher = ConfigWatcher::Start("/etc/iiot/config.yaml", cfg.reload.debounce,
//                                       [&] { reload_requested = true; });
//   if (!watcher) log.warn("config reload disabled: {}", watcher.error().message);
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "base/result.h"
#include "config/config.h"

namespace iiot {

class ConfigWatcher {
 public:
  // Starts watching the directory of `path` (the file need not exist yet). Fails, naming
  // the path and the reason, when inotify or the thread fails.
  static Result<std::unique_ptr<ConfigWatcher>> Start(const std::string& path, Millis debounce,
                                                      std::function<void()> on_change);

  // Stops the thread (promptly: it waits in poll on an eventfd too) and joins it. A
  // callback that is running finishes first; a pending one is dropped.
  ~ConfigWatcher();

  ConfigWatcher(const ConfigWatcher&) = delete;
  ConfigWatcher& operator=(const ConfigWatcher&) = delete;

 private:
  ConfigWatcher(int inotify_fd, int stop_fd, std::string name, Millis debounce,
                std::function<void()> on_change);
  void Run();
  // Reads the pending inotify events; true when one of them concerns the file.
  bool ReadEvents();

  // Constant after construction.
  const int inotify_fd_;
  const int stop_fd_;
  const std::string name_;  // the file's name in its directory
  const Millis debounce_;
  const std::function<void()> on_change_;
  std::thread thread_;
};

}  // namespace iiot
