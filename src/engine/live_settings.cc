#include "engine/live_settings.h"

#include <utility>

namespace iiot {

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
  s.params = {cfg.sensors, cfg.anomalies, cfg.incidents};
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
  MutexLock lock(&mu_);
  old = std::exchange(latest_, std::move(settings));
  version_.store(latest_->version, std::memory_order_relaxed);
  // `old` is released after the lock: readers never wait on a snapshot's destruction.
}

std::shared_ptr<const LiveSettings> LiveSettingsSlot::Latest() const {
  MutexLock lock(&mu_);
  return latest_;
}

}  // namespace iiot
