// WorkerPool: one run of the simulator — splits this shard's devices over worker threads,
// drives them in the configured clock mode, and feeds the sink. Start() returns at once;
// the caller watches Finished(), may RequestStop() from any thread, then Join()s.
// A running WorkerPool takes live config changes through Apply (see live_settings.h for
// which); the workers pick them up within about 100 ms.
// Thread-safe: Start/Join/SetProbes from one thread; Apply, RequestStop, Finished,
// Generated, Devices and the anomaly totals from any.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <latch>
#include <memory>
#include <thread>
#include <vector>

#include "base/mutex.h"
#include "base/result.h"
#include "config/config.h"
#include "engine/live_settings.h"
#include "engine/run_state.h"
#include "engine/simulated_run.h"
#include "engine/worker.h"
#include "labels/label_stream.h"
#include "sim/fleet.h"
#include "sim/reading.h"
#include "sink/sink.h"

namespace iiot {

class WorkerPool {
 public:
  // cfg must be validated; fleet and sink must outlive the WorkerPool.
  WorkerPool(const Config& cfg, const Fleet& fleet, Sink& sink);
  ~WorkerPool();

  // Before Start: who is told the encode time of 1 in 64 messages, and (realtime and rate
  // modes) the schedule lag — how late after its intended time a message was sampled — of
  // 1 in 64. Either may be null. Observers must be thread-safe and outlive the run.
  void SetProbes(LatencyObserver* encode, LatencyObserver* lag);
  // Before Start: where the workers write their anomaly episodes' label records (null: no
  // labels). It must outlive the run.
  void SetLabels(LabelStream* labels);

  // Starts the worker threads. When one cannot be created (too many threads for the
  // system), none runs and the error names it and run.threads.
  Result<void> Start();
  void RequestStop() { state_->RequestStop(); }
  // Why a worker stopped the run (out of memory...), "" when none did. After Join.
  std::string Failure() const { return state_->Failure(); }
  bool Finished() const { return state_->AllFinished(); }
  void Join();

  // Hands the live part of `next` to the workers and returns at once; they take it
  // within about 100 ms (max and backfill: at the next window boundary). `next` must be
  // validated and have passed WhyRestartNeeded(running, next, ...); settings this run's
  // mode cannot change are ignored. Thread-safe; calls are serialised.
  void Apply(const Config& next);

  uint64_t Generated() const { return state_->Generated(); }
  // Devices reporting now (after Apply: the new count).
  uint64_t Devices() const { return devices_.load(std::memory_order_relaxed); }
  size_t Threads() const { return workers_.size(); }
  const Fleet& fleet() const { return fleet_; }
  // Anomaly episodes started, and messages labelled, per AnomalyKind (index 0 unused),
  // summed over the workers.
  std::array<uint64_t, kAnomalyKindCount> AnomalyEpisodes() const {
    return state_->AnomalyEpisodes();
  }
  std::array<uint64_t, kAnomalyKindCount> AnomalyMessages() const {
    return state_->AnomalyMessages();
  }
  // Readings network outages held, replayed late or kept from being sent, summed over the
  // workers.
  OutageCounts Outages() const { return state_->Outages(); }
  // The time the run has reached: the wall clock (realtime, rate), or the last instant of
  // the last simulated window every worker has emitted (max, backfill). Any thread.
  UnixMillis Now() const;
  // The latest live settings handed to the workers (hot reload, /api/v1/incidents); they
  // take them within about 100 ms, or at the next window. Any thread.
  std::shared_ptr<const LiveSettings> Settings() const;
  // The simulated clock's start (max, backfill) or the wall clock's at Start().
  UnixMillis ClockStart() const { return clock_start_; }

 private:
  // Worker i's thread: waits at the gate, then runs the worker in the run's mode.
  void RunWorker(size_t i, std::latch& gate);
  // Constant after construction.
  const Config cfg_;
  const Fleet& fleet_;
  UnixMillis clock_start_ = 0;
  std::unique_ptr<RunState> state_;
  std::unique_ptr<LiveSettingsSlot> live_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<SimulatedRun> simulated_;
  std::vector<std::thread> threads_;
  std::chrono::steady_clock::time_point steady_start_{};  // set by Start before the gate opens

  std::atomic<uint64_t> devices_{0};

  Mutex apply_mu_;
  uint64_t modelled_up_to_ GUARDED_BY(apply_mu_) = 0;  // the highest device with a model
};

// Unix time in milliseconds now.
UnixMillis WallClockMs();

}  // namespace iiot
