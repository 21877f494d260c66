#include "engine/live_settings.h"

#include <string_view>
#include <utility>

namespace iiot {

namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The key itself or any key below it: "sensors" matches "sensors" and "sensors.x.mean".
bool InSection(std::string_view key, std::string_view section) {
  return key == section ||
         (StartsWith(key, section) && key.size() > section.size() && key[section.size()] == '.');
}

// Keys the WorkerPool never sees: the app applies them itself.
bool AppliedByTheApp(std::string_view key) {
  return key == "log.level" || InSection(key, "alerts") || InSection(key, "reload") ||
         StartsWith(key, "admin.ready_");
}

const std::vector<Profile>& EffectiveProfiles(const Config& cfg) {
  static const std::vector<Profile> defaults = DefaultProfiles();
  return cfg.fleet.profiles.empty() ? defaults : cfg.fleet.profiles;
}

// True when the profile lists differ at most in their `interval` fields.
bool OnlyIntervalsDiffer(const Config& a, const Config& b) {
  const std::vector<Profile>& pa = EffectiveProfiles(a);
  const std::vector<Profile>& pb = EffectiveProfiles(b);
  if (pa.size() != pb.size()) return false;
  for (size_t i = 0; i < pa.size(); ++i) {
    if (pa[i].name != pb[i].name || pa[i].sensors != pb[i].sensors ||
        pa[i].weight != pb[i].weight) {
      return false;
    }
  }
  return true;
}

std::string Restart(std::string_view key, std::string_view why) {
  return std::string(key) + " " + std::string(why) + " (restart needed)";
}

}  // namespace

std::string WhyRestartNeeded(const Config& running, const Config& next,
                             const std::vector<std::string>& changed_keys) {
  const Mode mode = running.run.mode;
  const bool wall_clock = mode == Mode::kRealtime || mode == Mode::kRate;
  const std::string in_mode = std::string("cannot change in ") + Name(mode) + " mode";
  for (const std::string& key : changed_keys) {
    if (AppliedByTheApp(key) || InSection(key, "sensors") || InSection(key, "anomalies")) {
      continue;
    }
    if (key == "run.rate" || key == "run.interval" || key == "run.jitter") {
      if (!wall_clock) return Restart(key, in_mode);
      continue;
    }
    if (InSection(key, "fleet.profiles")) {
      if (!wall_clock) return Restart(key, in_mode);
      if (!OnlyIntervalsDiffer(running, next)) {
        return Restart(key, "can change only in their interval fields while running");
      }
      continue;
    }
    if (key == "fleet.devices") {
      if (!wall_clock) return Restart(key, in_mode);
      if (running.run.shard_count != 1) {
        return Restart(key, "cannot change while running as one shard of several (run.shard)");
      }
      continue;
    }
    return Restart(key, "cannot change while running");
  }
  return {};
}

std::vector<Millis> ProfileIntervals(const Config& cfg, const Fleet& fleet) {
  const std::vector<Profile>& mine = EffectiveProfiles(cfg);
  const std::vector<Profile>& fleet_profiles = fleet.profiles();
  const std::vector<Profile>& profiles =
      mine.size() == fleet_profiles.size() ? mine : fleet_profiles;
  std::vector<Millis> intervals;
  intervals.reserve(profiles.size());
  for (const Profile& p : profiles) intervals.push_back(p.interval.value_or(cfg.run.interval));
  return intervals;
}

LiveSettings InitialLiveSettings(const Config& cfg, const Fleet& fleet,
                                 std::vector<std::vector<DeviceRange>> ranges) {
  LiveSettings s;
  s.params = {cfg.sensors, cfg.anomalies};
  s.rate = cfg.run.rate;
  s.intervals = ProfileIntervals(cfg, fleet);
  s.jitter = cfg.run.jitter;
  s.device_limit = fleet.size();
  for (const auto& owned : ranges) {
    for (const DeviceRange& r : owned) s.active_devices += r.size();
  }
  s.ranges = std::move(ranges);
  return s;
}

LiveSettingsSlot::LiveSettingsSlot(std::shared_ptr<const LiveSettings> initial)
    : latest_(std::move(initial)), version_(latest_->version) {}

void LiveSettingsSlot::Publish(std::shared_ptr<const LiveSettings> settings) {
  std::shared_ptr<const LiveSettings> old;
  std::lock_guard<std::mutex> lock(mu_);
  old = std::exchange(latest_, std::move(settings));
  version_.store(latest_->version, std::memory_order_relaxed);
  // `old` is released after the lock: readers never wait on a snapshot's destruction.
}

std::shared_ptr<const LiveSettings> LiveSettingsSlot::Latest() const {
  std::lock_guard<std::mutex> lock(mu_);
  return latest_;
}

}  // namespace iiot
