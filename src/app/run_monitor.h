// RunMonitor: what an operator sees of a running producer — Prometheus metrics, health,
// readiness, the /api/v1/stats document and the self-logged alerts. The main loop feeds
// it (Beat each iteration, Tick once a second); the admin server's threads read it
// through Endpoints().
//
// Thread-safe: Beat/Tick/SetPhase from the main loop; the handlers from any thread, at
// once. Shared state is atomics plus one mutex around the latest readiness.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "admin/admin_server.h"
#include "base/mutex.h"
#include "config/config.h"
#include "engine/worker_pool.h"
#include "obs/alert_check.h"
#include "obs/metrics.h"
#include "obs/rate_target.h"
#include "obs/readiness.h"
#include "obs/run_window.h"
#include "reload/reloader.h"
#include "sink/kafka_sink.h"
#include "sink/sink.h"

namespace iiot {

class RunMonitor {
 public:
  enum class Phase : uint8_t { kStarting, kProducing, kStopping };

  // kafka: the sink when it is Kafka (for connection state and client statistics), else
  // null. Everything must outlive the monitor.
  RunMonitor(const Config& cfg, WorkerPool& pool, Sink& sink, KafkaSink* kafka, Metrics& metrics,
             Reloader& reloader);

  void SetPhase(Phase phase);
  // Before producing: what the start waits for (a broker), the readiness reason until then.
  // Seen from the next Tick.
  void SetWaiting(std::string reason);
  // The main loop is alive (every iteration, ~10 per second).
  void Beat();
  // Once a second: samples the totals, re-evaluates readiness (logging a change) and the
  // self-checked alerts (logging and counting those that start or resolve).
  void Tick();

  // Routes for the admin server; valid while the monitor lives.
  AdminEndpoints Endpoints();

  // The Prometheus exposition, freshly updated.
  std::string MetricsText();
  AdminResponse Healthz() const;
  AdminResponse Readyz() const;
  AdminResponse Stats() const;
  Readiness CurrentReadiness() const;
  // The configured rate (0: none, in max mode and an unpaced backfill) and the part of it
  // the run missed over the last few seconds (0..1), as of the last Tick.
  double ConfiguredRate() const { return target_.load(std::memory_order_relaxed); }
  double RateShortfall() const { return shortfall_.load(std::memory_order_relaxed); }

 private:
  MetricsSnapshot Gather() const;
  RunSample Sample() const;
  // The target and the shortfall; a warning, once, when the run stays behind.
  void CheckRate(const Config& current, Phase phase);

  const Config cfg_;  // as started (restart-only keys)
  WorkerPool& pool_;
  Sink& sink_;
  KafkaSink* const kafka_;
  Metrics& metrics_;
  Reloader& reloader_;
  const std::chrono::steady_clock::time_point started_;

  RunWindow window_;
  AlertCheck alerts_;          // main loop only
  uint64_t fatal_errors_ = 0;  // main loop only: KafkaSink::FatalErrors() at the last Tick
  bool rate_warned_ = false;   // main loop only
  std::atomic<double> target_{0};
  std::atomic<double> shortfall_{0};
  std::atomic<Phase> phase_{Phase::kStarting};
  std::atomic<int64_t> last_beat_ns_{0};  // steady clock

  mutable Mutex ready_mu_;
  Readiness ready_ GUARDED_BY(ready_mu_);
  std::string waiting_ GUARDED_BY(ready_mu_);
};

}  // namespace iiot
