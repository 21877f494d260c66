// Worker: one thread's share of the fleet — its devices' models, their due times, its
// encoder and reading buffer — and the loops that drive them in each clock mode. A worker
// is touched only by its own thread (plus, in lockstep modes, by the barrier completion
// while every worker waits), so nothing on the hot path takes a lock.
//
// Hot reload: the wall-clock loops look at the LiveSettingsSlot once per outer iteration
// (one relaxed load) and adopt a new snapshot there: new model parameters, a new rate
// share (pacing restarts from now), new intervals (the schedule restarts from now, phases
// spread over the new interval), devices stopped or added. In lockstep modes SimulatedRun
// hands each worker the snapshot at a window boundary (AdoptParams).
//
// Generation off (output.payload_bytes > 0, a benchmarking aid): a due report sends the
// same fixed block as its value, keyed by the device id, without sampling, encoding,
// outages or labels; the schedule, the count and the counters stay as they are.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/huge_pages.h"
#include "codec/encoder.h"
#include "config/config.h"
#include "engine/held_readings.h"
#include "engine/live_settings.h"
#include "engine/run_state.h"
#include "labels/label_record.h"
#include "labels/label_stream.h"
#include "sim/device_model.h"
#include "sim/fleet.h"
#include "sim/reading.h"
#include "sim/schedule.h"
#include "sink/sink.h"

namespace iiot {

class Worker {
 public:
  // The devices of live.Latest()->ranges[index]. fleet, sink, state and live must outlive it.
  Worker(size_t index, const Config& cfg, const Fleet& fleet, Sink& sink, RunState& state,
         const LiveSettingsSlot& live);

  // Before the run starts: where anomaly episodes' label records go (null: nowhere).
  void SetLabels(LabelStream* labels) { labels_ = labels; }

  size_t index() const { return index_; }
  // Devices reporting now (written by the worker's thread; read it only from there or
  // once the worker has stopped).
  uint64_t devices() const { return active_; }

  // Before the run starts: who is told the encode time of 1 in 64 messages, and (wall-clock
  // modes) how late 1 in 64 messages were sampled after their intended time. Null: nobody.
  void SetProbes(LatencyObserver* encode, LatencyObserver* lag) {
    encode_probe_ = encode;
    lag_probe_ = lag;
  }

  // realtime: each device at start + phase + k × interval on the wall clock, until stopped
  // or the --count budget is spent. start is Unix ms; steady_start the same instant.
  void RunRealtime(UnixMillis start, std::chrono::steady_clock::time_point steady_start);
  // rate: this worker's share of the live rate (its reporting devices over the instance's),
  // devices round-robin, until stopped.
  void RunRate(UnixMillis start, std::chrono::steady_clock::time_point steady_start);

  // Simulated clock, driven in lockstep windows by SimulatedRun:
  // Schedules every device from the simulated start.
  void ScheduleFrom(UnixMillis start);
  // Moves every report due before window_end into pending() in (time, device) order.
  void CollectDue(UnixMillis window_end);
  const std::vector<DueEntry>& pending() const { return pending_; }
  // Emits pending reports up to and including *cutoff (all when null). Returns the number
  // emitted; stops early when the run is stopped or the sink refuses.
  uint64_t EmitPending(const DueEntry* cutoff);
  // Takes the model parameters of `settings` (nothing else changes in lockstep modes).
  void AdoptParams(const LiveSettings& settings) { params_ = settings.params; }

 private:
  using SteadyTime = std::chrono::steady_clock::time_point;

  // What adopting a snapshot changed.
  struct Adopted {
    bool schedule = false;  // intervals or jitter
    bool devices = false;   // the set of reporting devices
    bool rate = false;
  };

  // One report of the device in `slot`, due at t: held (or dropped) while a network outage
  // keeps the device offline; else the readings it held first, then this one. False when
  // the sink is stopping.
  bool Emit(uint32_t slot, UnixMillis t, int64_t intended_ns);
  // Samples, encodes and sends the device's reading at t (a replayed one with its outage's
  // label); false when the sink is stopping.
  bool Send(uint32_t slot, UnixMillis t, int64_t intended_ns, bool probe,
            const IncidentLabel* outage = nullptr);
  // Generation off: sends payload_ keyed by the device's id; false when the sink is stopping.
  bool SendFixed(uint32_t slot, int64_t intended_ns);
  // The labels stream: the start and end records of the anomaly episode reading_ shows.
  void Label(uint32_t slot);
  // Network outages: keeps the reading for later (or drops it without replay)...
  void Withhold(uint32_t slot, const HeldReading& reading);
  // ...and sends the device's held readings, oldest first, once it is back online.
  bool Replay(uint32_t slot, int64_t intended_ns);
  // The device's k-th report on the schedule that started at base_.
  DueEntry Due(uint32_t slot, uint64_t k) const;
  // The report after e. Reads only e (which carries the profile), not the device's model
  // or any per-slot array, so taking reports from the queue touches no per-device memory.
  DueEntry After(const DueEntry& e) const;
  // Starts loading the model of `slot` into the cache: it will be sampled shortly.
  void Prefetch(uint32_t slot) const;
  // Emits pending_[i] for i in [0, end) in order, as fast as possible (each intended for
  // the moment it is reached), loading models a few reports ahead. Returns how many were
  // emitted; fewer when the run stops.
  size_t EmitBatch(size_t end);
  // The device's first report at or after now on the schedule that started at base_.
  DueEntry NextDue(uint32_t slot, UnixMillis now) const;
  // The longest report interval of the current settings (the queue's span).
  Millis LongestInterval() const;
  // Takes the latest snapshot: parameters, new models for added ranges, reporting devices.
  Adopted AdoptLatest();
  // Realtime: rebuilds the queue after adopting (now: the wall clock, Unix ms).
  void Reschedule(const Adopted& adopted, uint64_t was_active, UnixMillis now);
  // Creates models for the devices of r.
  void AddDevices(DeviceRange r);
  // Wall-clock instant t (Unix ms) on the steady clock, in ns.
  int64_t SteadyNsOf(UnixMillis t) const;

  // Constant after construction.
  const size_t index_;
  const uint64_t seed_;
  const Fleet& fleet_;
  Sink& sink_;
  RunState& state_;
  RunState::Progress& progress_;
  const LiveSettingsSlot& live_;
  LatencyObserver* encode_probe_ = nullptr;
  LatencyObserver* lag_probe_ = nullptr;
  LabelStream* labels_ = nullptr;
  const std::string payload_;  // output.payload_bytes fixed bytes; empty: generation on

  // Owned by the worker's thread.
  std::shared_ptr<const LiveSettings> settings_;  // the snapshot in force
  ModelParams params_;                            // settings_->params
  Plant plant_;                                   // the shared world, cached per instant
  HeldReadings held_;                             // readings offline devices could not send
  std::unordered_map<uint32_t, AnomalyEpisode> episodes_;  // labels: open ones, by slot
  size_t ranges_adopted_ = 0;                              // of settings_->ranges[index_]
  // Sorted by device number (ranges are appended in increasing order), so the reporting
  // devices (number <= device_limit) are the first active_ slots.
  std::vector<DeviceModel, HugePageAllocator<DeviceModel>> models_;
  std::vector<uint16_t> profile_;  // per slot: the device's profile index
  uint64_t active_ = 0;
  DueQueue queue_;  // realtime: one entry per reporting slot; lockstep: every slot
  std::vector<DueEntry> pending_;
  std::unique_ptr<Encoder> encoder_;
  std::array<char, Fleet::kMaxIdLength> key_{};  // generation off: the key being sent
  Reading reading_;
  UnixMillis base_ = 0;             // the schedule's start (Unix ms)
  UnixMillis start_ = 0;            // wall-clock modes: Unix ms at steady_start_
  SteadyTime steady_start_{};       // wall-clock modes
  LatencyObserver* lag_ = nullptr;  // lag_probe_ in wall-clock modes, else null
  uint32_t probe_tick_ = 0;
};

}  // namespace iiot
