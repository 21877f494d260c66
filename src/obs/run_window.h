// RunWindow: the recent history of a run, one sample of its totals per second, so rates,
// the error ratio and latency percentiles can be read over any recent span (readiness
// over admin.ready_window, alerts over alerts.window, /api/v1/stats over 10 s).
// Thread-safe: the main loop adds samples while HTTP threads read (one mutex).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>

#include "base/mutex.h"
#include "obs/quantile.h"

namespace iiot {

// A run's totals at one instant.
struct RunSample {
  std::chrono::steady_clock::time_point at;
  uint64_t generated = 0;
  // Readings that fell due: generated on schedule, or held or kept unsent by a network
  // outage (generated less the replays of held ones, plus held now, plus unsent).
  uint64_t due = 0;
  uint64_t delivered = 0;
  uint64_t failed = 0;
  uint64_t dropped = 0;
  uint64_t bytes_delivered = 0;
  HistogramCounts latency;  // delivery latency, cumulative since the start
};

// What happened between two samples.
struct WindowDelta {
  double seconds = 0;
  uint64_t generated = 0;
  uint64_t due = 0;
  uint64_t delivered = 0;
  uint64_t failed = 0;
  uint64_t dropped = 0;
  uint64_t bytes_delivered = 0;
  HistogramCounts latency_before, latency_now;

  // n per second over the span (0 for an empty span).
  double PerSecond(uint64_t n) const;
  // Messages whose outcome is known in the span: delivered, failed or dropped.
  uint64_t Outcomes() const { return delivered + failed + dropped; }
  // (failed + dropped) / outcomes; 0 when nothing had an outcome.
  double ErrorRatio() const;
  // The q-quantile of delivery latency in the span (seconds); nullopt when nothing was
  // delivered in it.
  std::optional<double> Latency(double q) const;
};

class RunWindow {
 public:
  // Keeps samples covering at least `keep` (older ones are dropped).
  explicit RunWindow(std::chrono::seconds keep);

  void Add(RunSample sample);
  // From the sample about `span` before the newest (or the oldest kept) to the newest;
  // nullopt with fewer than two samples.
  std::optional<WindowDelta> Over(std::chrono::milliseconds span) const;

 private:
  const std::chrono::seconds keep_;
  mutable Mutex mu_;
  std::deque<RunSample> samples_ GUARDED_BY(mu_);  // oldest first
};

}  // namespace iiot
