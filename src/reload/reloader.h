// Reloader: reloads the configuration of a running producer. It reads the same sources
// as at start (the file, the IIOT_* environment captured then, the flags — flags still
// win over the file), validates, finds the changed keys, refuses the reload when one of
// them needs a restart, and otherwise hands the new config to the run and bumps the
// version. On any problem the running config stays as it is; the outcome (with the
// error) is kept for /api/v1/stats and logged.
//
// Thread-safe: the file watcher's thread and HTTP threads may call Reload at once; reloads
// are serialised by one mutex and the hooks are called under it.
//
// Example:
//   Reloader reloader(sources, cfg, {.check = WhyRestartNeeded, .apply = ..., .counted = ...});
//   Reloader::Outcome o = reloader.Reload("file change");   // o.result: "applied", ...
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/mutex.h"
#include "config/config.h"
#include "config/config_loader.h"

namespace iiot {

class Reloader {
 public:
  struct Hooks {
    // "" when next can be applied live, else why a restart is needed.
    std::function<std::string(const Config& running, const Config& next,
                              const std::vector<std::string>& changed)>
        check;
    // Applies next to the run (called only after check passed).
    std::function<void(const Config& next)> apply;
    // Told each outcome's result ("applied", "unchanged", "rejected", "invalid").
    std::function<void(std::string_view result)> counted;
  };

  struct Outcome {
    std::string result;                // applied | unchanged | rejected | invalid
    std::string error;                 // rejected/invalid: why (names the key or file:line)
    std::vector<std::string> changed;  // key paths that differ from the running config
    uint64_t version = 1;              // the config version running after this reload
    std::chrono::system_clock::time_point at;
  };

  Reloader(ConfigSources sources, Config running, Hooks hooks);

  // Re-reads and applies. trigger names the cause in log lines ("file change", "POST
  // /api/v1/config/reload").
  Outcome Reload(std::string_view trigger);

  Config Current() const;
  uint64_t Version() const;
  // The latest reload's outcome; nullopt before the first.
  std::optional<Outcome> Last() const;
  // The config file being reloaded ("" when the run has none: reload is refused).
  const std::string& file() const { return file_; }

 private:
  const ConfigSources sources_;
  const std::string file_;
  const Hooks hooks_;
  mutable Mutex mu_;
  Config running_ GUARDED_BY(mu_);
  uint64_t version_ GUARDED_BY(mu_) = 1;
  std::optional<Outcome> last_ GUARDED_BY(mu_);
};

}  // namespace iiot
