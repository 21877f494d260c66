// RunState: what the workers of one run share: the stop request, the --count budget for
// wall-clock modes, and per-worker progress counters. Thread-safe: every member is an
// atomic; each Progress slot is written only by its own worker.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/reading.h"

namespace iiot {

// What network outages did to a run's readings (RunState::Progress has the meanings).
struct OutageCounts {
  uint64_t held = 0;      // held now by offline devices (at the end: never sent)
  uint64_t replayed = 0;  // sent late, once the network was back
  uint64_t unsent = 0;    // never to be sent: no replay, or pushed out of a full buffer
};

struct RunState {
  using PerKind = std::array<uint64_t, kAnomalyKindCount>;  // index: AnomalyKind

  // One worker's progress, on cache lines of its own. Written by the worker only (relaxed
  // stores; readers take relaxed snapshots).
  struct alignas(64) Progress {
    std::atomic<uint64_t> generated{0};  // readings sampled and handed to the sink
    std::atomic<bool> finished{false};
    // Network outages (sim/incidents.h): readings held now by offline devices, held ones
    // sent late, and readings never sent (no replay, or pushed out of a full buffer).
    std::atomic<uint64_t> held{0};
    std::atomic<uint64_t> replayed{0};
    std::atomic<uint64_t> unsent{0};
    // Anomaly episodes started, and messages labelled, per kind (kNone stays 0).
    std::array<std::atomic<uint64_t>, kAnomalyKindCount> anomaly_episodes{};
    std::array<std::atomic<uint64_t>, kAnomalyKindCount> anomaly_messages{};
  };

  // Adds one to a counter only its owner writes: a plain load and store, no locked add.
  static void Bump(std::atomic<uint64_t>& counter) {
    counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }

  explicit RunState(size_t workers, uint64_t count)
      : count_limit(count), progress(std::make_unique<Progress[]>(workers)), workers_(workers) {}

  // Asks every worker to stop at the next message. Safe from any thread.
  void RequestStop() { stop.store(true, std::memory_order_relaxed); }

  // A worker failed (out of memory, say): keeps the first reason and stops the run. Any
  // thread; Failure() once the workers are joined.
  void Fail(const std::string& why) {
    {
      std::lock_guard<std::mutex> lock(failure_mu_);
      if (failure_.empty()) failure_ = why;
    }
    RequestStop();
  }
  std::string Failure() const {
    std::lock_guard<std::mutex> lock(failure_mu_);
    return failure_;
  }
  bool StopRequested() const { return stop.load(std::memory_order_relaxed); }

  // Wall-clock modes: claims one message of the --count budget; false once it is spent.
  bool ClaimOne() {
    if (count_limit == 0) return true;
    return claimed.fetch_add(1, std::memory_order_relaxed) < count_limit;
  }

  uint64_t Generated() const { return Sum(&Progress::generated); }
  OutageCounts Outages() const {
    return {Sum(&Progress::held), Sum(&Progress::replayed), Sum(&Progress::unsent)};
  }
  PerKind AnomalyEpisodes() const { return SumPerKind(&Progress::anomaly_episodes); }
  PerKind AnomalyMessages() const { return SumPerKind(&Progress::anomaly_messages); }
  bool AllFinished() const {
    for (size_t i = 0; i < workers_; ++i)
      if (!progress[i].finished.load(std::memory_order_acquire)) return false;
    return true;
  }
  size_t workers() const { return workers_; }

  std::atomic<bool> stop{false};
  // Simulated clock modes: the end of the last window every worker has emitted (Unix ms).
  std::atomic<int64_t> reached{0};
  const uint64_t count_limit;        // 0: no limit
  std::atomic<uint64_t> claimed{0};  // wall-clock modes only
  std::unique_ptr<Progress[]> progress;

 private:
  uint64_t Sum(std::atomic<uint64_t> Progress::*field) const {
    uint64_t n = 0;
    for (size_t i = 0; i < workers_; ++i) n += (progress[i].*field).load(std::memory_order_relaxed);
    return n;
  }
  using KindCounters = std::array<std::atomic<uint64_t>, kAnomalyKindCount>;
  PerKind SumPerKind(KindCounters Progress::*field) const {
    PerKind sum{};
    for (size_t i = 0; i < workers_; ++i) {
      const KindCounters& c = progress[i].*field;
      for (size_t k = 0; k < sum.size(); ++k) sum[k] += c[k].load(std::memory_order_relaxed);
    }
    return sum;
  }

  size_t workers_;
  mutable std::mutex failure_mu_;
  std::string failure_;  // guarded by failure_mu_
};

// Runs step(); an exception it throws becomes state.Fail("worker i: ...") instead of ending
// the process. False when it threw.
template <class Step>
bool RunGuarded(RunState& state, size_t worker, Step&& step) {
  try {
    step();
    return true;
  } catch (const std::bad_alloc&) {
    state.Fail("worker " + std::to_string(worker) +
               ": out of memory (fewer devices per instance: fleet.devices, --devices, "
               "--shard, --slice; or raise the memory limit)");
  } catch (const std::exception& e) {
    state.Fail("worker " + std::to_string(worker) + ": " + e.what());
  }
  return false;
}

}  // namespace iiot
