// Hot reload inside a running WorkerPool: the snapshot of the settings that may change
// (LiveSettings) and the slot through which the WorkerPool hands a new snapshot to its
// workers (LiveSettingsSlot). Which changes may be taken live at all is the restart rule
// (reload/restart_rule.h).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/mutex.h"
#include "config/config.h"
#include "sim/device_model.h"
#include "sim/fleet.h"

namespace iiot {

// The settings a running WorkerPool may change, as one immutable snapshot. A new snapshot
// has a higher version; fields a mode cannot change keep their values from the start.
struct LiveSettings {
  uint64_t version = 1;
  ModelParams params;
  double rate = 0;                // rate mode: messages/s for the whole instance
  std::vector<Millis> intervals;  // realtime: report interval per profile index
  double jitter = 0;              // realtime
  // Devices numbered above this do not report (their models are kept).
  uint64_t device_limit = 0;
  uint64_t active_devices = 0;  // this instance's devices numbered <= device_limit
  // Per worker: every device range it owns, in order; the first is its share at start,
  // later ones were added when the fleet grew. Only ever appended to.
  std::vector<std::vector<DeviceRange>> ranges;
};

// The settings of cfg for a run of `fleet` whose workers own `ranges` at start.
LiveSettings InitialLiveSettings(const Config& cfg, const Fleet& fleet,
                                 std::vector<std::vector<DeviceRange>> ranges);

// Report interval per profile index of `fleet`: the profile's own from cfg.fleet.profiles
// (or the fleet's when cfg has a different list), else cfg.run.interval.
std::vector<Millis> ProfileIntervals(const Config& cfg, const Fleet& fleet);

// Holds the latest LiveSettings. Publish from any thread (calls are serialised); workers
// poll version() — one relaxed load — and call Latest() only when it moved. A snapshot is
// never modified once published. Thread-safe.
class LiveSettingsSlot {
 public:
  explicit LiveSettingsSlot(std::shared_ptr<const LiveSettings> initial);

  void Publish(std::shared_ptr<const LiveSettings> settings);
  uint64_t version() const { return version_.load(std::memory_order_relaxed); }
  std::shared_ptr<const LiveSettings> Latest() const;

 private:
  mutable Mutex mu_;
  std::shared_ptr<const LiveSettings> latest_ GUARDED_BY(mu_);
  std::atomic<uint64_t> version_;  // latest_->version, written under mu_
};

}  // namespace iiot
