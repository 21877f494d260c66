#include "reload/reloader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <utility>

namespace iiot {

Reloader::Reloader(ConfigSources sources, Config running, Hooks hooks)
    : sources_(std::move(sources)),
      file_(sources_.file.value_or("")),
      hooks_(std::move(hooks)),
      running_(std::move(running)) {}

Reloader::Outcome Reloader::Reload(std::string_view trigger) {
  MutexLock lock(&mu_);
  Outcome o;
  o.at = std::chrono::system_clock::now();
  o.version = version_;
  if (file_.empty()) {
    o.result = "rejected";
    o.error = "no config file to reload: start with --config FILE (or IIOT_CONFIG)";
  } else {
    try {
      const Config next = LoadConfig(sources_);
      o.changed = ChangedKeys(running_, next);
      if (o.changed.empty()) {
        o.result = "unchanged";
      } else if (std::string why = hooks_.check ? hooks_.check(running_, next, o.changed) : "";
                 !why.empty()) {
        o.result = "rejected";
        o.error = std::move(why);
      } else {
        if (hooks_.apply) hooks_.apply(next);
        running_ = next;
        o.version = ++version_;
        o.result = "applied";
      }
    } catch (const ConfigError& e) {
      o.result = "invalid";
      o.error = e.what();
    }
  }
  if (o.result == "applied") {
    spdlog::info("config reloaded ({}): version {}, changed {}", trigger, o.version,
                 fmt::join(o.changed, ", "));
  } else if (o.result == "unchanged") {
    spdlog::info("config reload ({}): nothing changed", trigger);
  } else {
    spdlog::error("config reload ({}) {}: {}; still running version {}", trigger, o.result, o.error,
                  o.version);
  }
  if (hooks_.counted) hooks_.counted(o.result);
  last_ = o;
  return o;
}

Config Reloader::Current() const {
  MutexLock lock(&mu_);
  return running_;
}

uint64_t Reloader::Version() const {
  MutexLock lock(&mu_);
  return version_;
}

std::optional<Reloader::Outcome> Reloader::Last() const {
  MutexLock lock(&mu_);
  return last_;
}

}  // namespace iiot
