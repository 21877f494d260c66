// Worker: one thread's share of the fleet — its devices' models, their due times, its
// encoder and reading buffer — and the loops that drive them in each clock mode. A worker
// is touched only by its own thread (plus, in lockstep modes, by the barrier completion
// while every worker waits), so nothing on the hot path takes a lock.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "app/run_state.h"
#include "codec/encoder.h"
#include "config/config.h"
#include "sim/device_model.h"
#include "sim/fleet.h"
#include "sim/reading.h"
#include "sim/schedule.h"
#include "sink/sink.h"

namespace iiot {

class Worker {
 public:
  // Devices [range.first, range.last) of the fleet. fleet, sink and state must outlive it.
  Worker(size_t index, const Config& cfg, const Fleet& fleet, DeviceRange range, Sink& sink,
         RunState& state);

  size_t index() const { return index_; }
  uint64_t devices() const { return models_.size(); }

  // realtime: each device at start + phase + k × interval on the wall clock, until stopped
  // or the --count budget is spent. start is Unix ms; steady_start the same instant.
  void RunRealtime(UnixMillis start, std::chrono::steady_clock::time_point steady_start);
  // rate: `rate` messages/s from this worker, devices round-robin, until stopped.
  void RunRate(double rate, UnixMillis start, std::chrono::steady_clock::time_point steady_start);

  // Simulated clock, driven in lockstep windows by SimulatedRun:
  // Schedules every device from the simulated start.
  void ScheduleFrom(UnixMillis start);
  // Moves every report due before window_end into pending() in (time, device) order.
  void CollectDue(UnixMillis window_end);
  const std::vector<DueEntry>& pending() const { return pending_; }
  // Emits pending reports up to and including *cutoff (all when null). Returns the number
  // emitted; stops early when the run is stopped or the sink refuses.
  uint64_t EmitPending(const DueEntry* cutoff);

 private:
  // Samples, encodes and sends one report; false when the sink is stopping.
  bool Emit(uint32_t slot, UnixMillis t, int64_t intended_ns);
  // The device's k-th report on a clock that started at start.
  DueEntry Due(uint32_t slot, uint64_t k, UnixMillis start) const;

  // Constant after construction.
  const size_t index_;
  const uint64_t seed_;
  const double jitter_;
  const Fleet& fleet_;
  Sink& sink_;
  RunState& state_;
  ModelParams params_;
  DeviceRange range_;
  std::vector<Millis> intervals_;  // per profile index
  std::vector<uint16_t> profile_;  // per slot: the device's profile index

  // Owned by the worker's thread.
  std::vector<DeviceModel> models_;  // slot = device - range.first
  DueQueue queue_;
  std::vector<DueEntry> pending_;
  std::unique_ptr<Encoder> encoder_;
  Reading reading_;
  UnixMillis start_ = 0;
};

}  // namespace iiot
