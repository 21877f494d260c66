#include "reload/restart_rule.h"

#include <string_view>

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
    if (AppliedByTheApp(key) || InSection(key, "sensors") || InSection(key, "anomalies") ||
        InSection(key, "incidents")) {
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
      if (running.run.shard_count != 1 || running.run.slice_devices != 0) {
        return Restart(key,
                       "cannot change while running as one shard or slice of several (run.shard, "
                       "run.slice)");
      }
      continue;
    }
    return Restart(key, "cannot change while running");
  }
  return {};
}

}  // namespace iiot
