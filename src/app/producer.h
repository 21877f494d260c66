// Producer: one run of the simulator — splits this shard's devices over worker threads,
// drives them in the configured clock mode, and feeds the sink. Start() returns at once;
// the caller watches Finished(), may RequestStop() from any thread, then Join()s.
// Thread-safe: Start/Join from one thread; RequestStop, Finished, Generated from any.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "app/run_state.h"
#include "app/simulated_run.h"
#include "app/worker.h"
#include "config/config.h"
#include "sim/fleet.h"
#include "sink/sink.h"

namespace iiot {

class Producer {
 public:
  // cfg must be validated; fleet and sink must outlive the Producer.
  Producer(const Config& cfg, const Fleet& fleet, Sink& sink);
  ~Producer();

  void Start();
  void RequestStop() { state_->RequestStop(); }
  bool Finished() const { return state_->AllFinished(); }
  void Join();

  uint64_t Generated() const { return state_->Generated(); }
  uint64_t Devices() const { return devices_; }
  size_t Threads() const { return workers_.size(); }
  // The simulated clock's start (max, backfill) or the wall clock's at Start().
  UnixMillis ClockStart() const { return clock_start_; }

 private:
  const Config cfg_;
  uint64_t devices_ = 0;
  UnixMillis clock_start_ = 0;
  std::unique_ptr<RunState> state_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<SimulatedRun> simulated_;
  std::vector<std::thread> threads_;
};

// Unix time in milliseconds now.
UnixMillis WallClockMs();

}  // namespace iiot
