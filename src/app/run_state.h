// RunState: what the workers of one run share: the stop request, the --count budget for
// wall-clock modes, and per-worker progress counters. Thread-safe: every member is an
// atomic; each Progress slot is written only by its own worker.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace iiot {

struct RunState {
  // One worker's progress, alone on its cache line. Written by the worker only.
  struct alignas(64) Progress {
    std::atomic<uint64_t> generated{0};  // readings sampled and handed to the sink
    std::atomic<bool> finished{false};
  };

  explicit RunState(size_t workers, uint64_t count)
      : count_limit(count), progress(std::make_unique<Progress[]>(workers)), workers_(workers) {}

  // Asks every worker to stop at the next message. Safe from any thread.
  void RequestStop() { stop.store(true, std::memory_order_relaxed); }
  bool StopRequested() const { return stop.load(std::memory_order_relaxed); }

  // Wall-clock modes: claims one message of the --count budget; false once it is spent.
  bool ClaimOne() {
    if (count_limit == 0) return true;
    return claimed.fetch_add(1, std::memory_order_relaxed) < count_limit;
  }

  uint64_t Generated() const {
    uint64_t n = 0;
    for (size_t i = 0; i < workers_; ++i)
      n += progress[i].generated.load(std::memory_order_relaxed);
    return n;
  }
  bool AllFinished() const {
    for (size_t i = 0; i < workers_; ++i)
      if (!progress[i].finished.load(std::memory_order_acquire)) return false;
    return true;
  }
  size_t workers() const { return workers_; }

  std::atomic<bool> stop{false};
  const uint64_t count_limit;        // 0: no limit
  std::atomic<uint64_t> claimed{0};  // wall-clock modes only
  std::unique_ptr<Progress[]> progress;

 private:
  size_t workers_;
};

}  // namespace iiot
