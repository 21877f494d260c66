#include "engine/simulated_run.h"

#include <algorithm>
#include <thread>

namespace iiot {

SimulatedRun::SimulatedRun(std::vector<Worker*> workers, RunState& state,
                           const LiveSettingsSlot& live, UnixMillis start,
                           std::optional<UnixMillis> end, double speed, Millis window)
    : workers_(std::move(workers)),
      state_(state),
      live_(live),
      start_(start),
      end_(end),
      speed_(speed),
      window_(window),
      steady_start_(std::chrono::steady_clock::now()),
      window_end_(start + window.count()),
      emitted_by_worker_(workers_.size(), 0),
      settings_(live.Latest()),
      planned_(static_cast<std::ptrdiff_t>(workers_.size()), Plan{this}),
      advanced_(static_cast<std::ptrdiff_t>(workers_.size()), Advance{this}) {
  if (end_ && window_end_ > *end_) window_end_ = *end_;
  for (Worker* w : workers_) w->ScheduleFrom(start_);
}

Millis SimulatedRun::ChooseWindow(double reports_per_second, double target) {
  if (reports_per_second <= 0) return Millis{1000};
  const double ms = target / reports_per_second * 1000.0;
  return Millis{static_cast<int64_t>(std::clamp(ms, 10.0, 3'600'000.0))};
}

void SimulatedRun::Run(size_t i) {
  Worker& w = *workers_[i];
  // A step that throws stops the run (RunState::Fail) but the worker still meets the others
  // at both barriers, where the stop ends the run for all.
  for (;;) {
    RunGuarded(state_, i, [&] { w.CollectDue(window_end_); });
    planned_.arrive_and_wait();
    if (done_) break;
    emitted_by_worker_[i] = 0;
    RunGuarded(state_, i,
               [&] { emitted_by_worker_[i] = w.EmitPending(cutoff_ ? &*cutoff_ : nullptr); });
    advanced_.arrive_and_wait();
    if (done_) break;
    if (settings_changed_) RunGuarded(state_, i, [&] { w.AdoptParams(*settings_); });
  }
  state_.progress[w.index()].finished.store(true, std::memory_order_release);
}

void SimulatedRun::Plan::operator()() noexcept { run->MakePlan(); }
void SimulatedRun::Advance::operator()() noexcept { run->AdvanceWindow(); }

void SimulatedRun::MakePlan() {
  if (state_.StopRequested()) {
    done_ = true;
    return;
  }
  if (state_.count_limit == 0) return;
  uint64_t pending = 0;
  for (const Worker* w : workers_) pending += w->pending().size();
  const uint64_t budget = state_.count_limit - emitted_;
  if (pending <= budget) return;
  // The budget ends inside this window: find the budget-th report in global order.
  merge_.clear();
  for (const Worker* w : workers_)
    merge_.insert(merge_.end(), w->pending().begin(), w->pending().end());
  if (budget == 0) {
    done_ = true;
    return;
  }
  auto nth = merge_.begin() + static_cast<std::ptrdiff_t>(budget - 1);
  std::nth_element(merge_.begin(), nth, merge_.end());
  cutoff_ = *nth;
}

void SimulatedRun::AdvanceWindow() {
  for (uint64_t n : emitted_by_worker_) emitted_ += n;
  state_.reached.store(window_end_, std::memory_order_relaxed);
  if (cutoff_ || state_.StopRequested() || (end_ && window_end_ >= *end_) ||
      (state_.count_limit != 0 && emitted_ >= state_.count_limit)) {
    done_ = true;
    return;
  }
  if (speed_ > 0) {
    // N × real time: the window's end may not come before its scaled wall-clock instant.
    const auto sim_elapsed = static_cast<double>(window_end_ - start_);
    const auto wake = steady_start_ + std::chrono::microseconds(
                                          static_cast<int64_t>(sim_elapsed * 1000.0 / speed_));
    while (!state_.StopRequested() && std::chrono::steady_clock::now() < wake) {
      std::this_thread::sleep_until(
          std::min(wake, std::chrono::steady_clock::now() + std::chrono::milliseconds(100)));
    }
  }
  window_end_ += window_.count();
  if (end_ && window_end_ > *end_) window_end_ = *end_;
  settings_changed_ = live_.version() != settings_->version;
  if (settings_changed_) settings_ = live_.Latest();
}

}  // namespace iiot
