// SimulatedRun: drives workers on a simulated clock (modes max and backfill) in lockstep
// windows, so that a run is deterministic whatever the thread count: every worker collects
// the reports due in the window [t, t + w), all meet at a barrier, and if the --count
// budget ends inside the window the barrier's completion finds the global cut — the
// count-th report in (time, device) order — before anyone emits. Windows end to end
// cover the clock, so the set of messages is the first `count` of the whole fleet.
//
// Hot reload: new model parameters published to the LiveSettingsSlot are taken at a window
// boundary, by every worker at the same one, so each window is sampled with one set.
//
// Thread-safe in the sense that Run() is called once from each worker's thread; the
// completion steps run on one of them while the others wait.
#pragma once

#include <barrier>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "config/config.h"
#include "engine/live_settings.h"
#include "engine/run_state.h"
#include "engine/worker.h"

namespace iiot {

class SimulatedRun {
 public:
  // [start, end): the simulated range (end unset: open-ended). speed 0: as fast as the
  // sink takes; N: N × real time. window: the simulated span each lockstep step covers.
  // live must outlive the run.
  SimulatedRun(std::vector<Worker*> workers, RunState& state, const LiveSettingsSlot& live,
               UnixMillis start, std::optional<UnixMillis> end, double speed, Millis window);

  // The loop of worker i; returns when the run is over (count reached, end of range,
  // stop requested or the sink refused).
  void Run(size_t i);

  // A window wide enough that a step carries about `target` reports of `rate_per_s`.
  static Millis ChooseWindow(double reports_per_second, double target = 50'000);

 private:
  struct Plan {
    void operator()() noexcept;
    SimulatedRun* run;
  };
  struct Advance {
    void operator()() noexcept;
    SimulatedRun* run;
  };
  void MakePlan();
  void AdvanceWindow();

  // Constant after construction.
  std::vector<Worker*> workers_;
  RunState& state_;
  const LiveSettingsSlot& live_;
  const UnixMillis start_;
  const std::optional<UnixMillis> end_;
  const double speed_;
  const Millis window_;
  const std::chrono::steady_clock::time_point steady_start_;

  // Written only in barrier completions (every worker waiting), read by workers after.
  UnixMillis window_end_;
  uint64_t emitted_ = 0;
  std::optional<DueEntry> cutoff_;
  bool done_ = false;
  std::vector<uint64_t> emitted_by_worker_;
  std::vector<DueEntry> merge_;                   // scratch for the cut
  std::shared_ptr<const LiveSettings> settings_;  // in force from the next window
  bool settings_changed_ = false;                 // since the previous window

  std::barrier<Plan> planned_;
  std::barrier<Advance> advanced_;
};

}  // namespace iiot
