// AlertCheck: the alerts the process raises itself, so a run without Prometheus still
// says when it is in trouble. Each second the main loop hands it the recent window; it
// returns a line to log when an alert starts firing or resolves (not every second while
// it fires). Thresholds come from alerts.* and may change on reload.
// Not thread-safe: the main loop owns it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "obs/run_window.h"

namespace iiot {

struct AlertEvent {
  const char* alert;  // "error_rate", "latency", "queue_depth" (the metric's label)
  bool firing;        // true: started firing; false: resolved
  std::string line;   // what to log
};

class AlertCheck {
 public:
  // recent: the last alerts.window (nullopt early in the run); queued / queue_max: the
  // sink's queue now and its bound (0: unbounded, no queue alert).
  std::vector<AlertEvent> Check(const AlertsConfig& thresholds,
                                const std::optional<WindowDelta>& recent, uint64_t queued,
                                uint64_t queue_max);

 private:
  std::array<bool, 3> firing_{};  // error_rate, latency, queue_depth
};

}  // namespace iiot
