#include "app/worker.h"

#include <algorithm>
#include <thread>

namespace iiot {

namespace {

using SteadyClock = std::chrono::steady_clock;

int64_t SteadyNs(SteadyClock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// Steady-clock nanoseconds of the wall-clock instant t (ms), given one shared instant.
int64_t IntendedNs(UnixMillis t, UnixMillis start, SteadyClock::time_point steady_start) {
  return SteadyNs(steady_start) + (t - start) * 1'000'000;
}

}  // namespace

Worker::Worker(size_t index, const Config& cfg, const Fleet& fleet, DeviceRange range, Sink& sink,
               RunState& state)
    : index_(index),
      seed_(cfg.run.seed),
      jitter_(cfg.run.jitter),
      fleet_(fleet),
      sink_(sink),
      state_(state),
      params_{cfg.sensors, cfg.anomalies},
      range_(range),
      encoder_(MakeEncoder(cfg.output.format, fleet)) {
  for (const Profile& p : fleet.profiles())
    intervals_.push_back(p.interval.value_or(cfg.run.interval));
  models_.reserve(range.size());
  profile_.reserve(range.size());
  for (uint64_t d = range.first; d < range.last; ++d) {
    const uint32_t p = fleet.ProfileIndex(d);
    profile_.push_back(static_cast<uint16_t>(p));
    models_.emplace_back(seed_, d, fleet.profiles()[p]);
  }
}

DueEntry Worker::Due(uint32_t slot, uint64_t k, UnixMillis start) const {
  const uint64_t device = range_.first + slot;
  return {DueTime(start, seed_, device, k, intervals_[profile_[slot]], jitter_), device, slot, k};
}

bool Worker::Emit(uint32_t slot, UnixMillis t, int64_t intended_ns) {
  models_[slot].Sample(params_, t, &reading_);
  const std::string_view key = encoder_->Key(reading_);
  const std::string_view value = encoder_->Encode(reading_);
  const SendResult r = sink_.Send(key, value, intended_ns);
  if (r == SendResult::kStopped) return false;
  state_.progress[index_].generated.fetch_add(1, std::memory_order_relaxed);
  return true;
}

void Worker::RunRealtime(UnixMillis start, SteadyClock::time_point steady_start) {
  queue_.Reserve(models_.size());
  for (uint32_t slot = 0; slot < models_.size(); ++slot) queue_.Push(Due(slot, 1, start));
  while (!state_.StopRequested() && !queue_.empty()) {
    const UnixMillis now = start + std::chrono::duration_cast<std::chrono::milliseconds>(
                                       SteadyClock::now() - steady_start)
                                       .count();
    while (!queue_.empty() && queue_.top().due <= now) {
      const DueEntry e = queue_.top();
      if (state_.StopRequested() || !state_.ClaimOne() ||
          !Emit(e.slot, e.due, IntendedNs(e.due, start, steady_start))) {
        state_.RequestStop();
        break;
      }
      queue_.ReplaceTop(Due(e.slot, e.k + 1, start));
    }
    if (state_.StopRequested() || queue_.empty()) break;
    // Sleep until the next report, but wake at least every 100 ms to notice a stop.
    const UnixMillis wake = std::min(queue_.top().due, now + 100);
    std::this_thread::sleep_until(steady_start + std::chrono::milliseconds(wake - start));
  }
  state_.progress[index_].finished.store(true, std::memory_order_release);
}

void Worker::RunRate(double rate, UnixMillis start, SteadyClock::time_point steady_start) {
  const double ns_per_msg = 1e9 / rate;
  uint64_t sent = 0;
  uint32_t slot = 0;
  const auto n = static_cast<uint32_t>(models_.size());
  while (!state_.StopRequested()) {
    const double elapsed_ns = static_cast<double>((SteadyClock::now() - steady_start).count());
    // Messages due by now; catch up in bursts of at most one second's worth.
    auto due = static_cast<uint64_t>(elapsed_ns / ns_per_msg) + 1;
    due = std::min(due, sent + static_cast<uint64_t>(rate) + 1);
    for (; sent < due; ++sent) {
      const auto intended = static_cast<int64_t>(static_cast<double>(sent) * ns_per_msg);
      const UnixMillis ts = start + intended / 1'000'000;
      if (state_.StopRequested() || !state_.ClaimOne() ||
          !Emit(slot, ts, SteadyNs(steady_start) + intended)) {
        state_.RequestStop();
        break;
      }
      slot = slot + 1 == n ? 0 : slot + 1;
    }
    const auto next =
        steady_start +
        std::chrono::nanoseconds(static_cast<int64_t>(static_cast<double>(sent) * ns_per_msg));
    std::this_thread::sleep_until(
        std::min(next, SteadyClock::now() + std::chrono::milliseconds(100)));
  }
  state_.progress[index_].finished.store(true, std::memory_order_release);
}

void Worker::ScheduleFrom(UnixMillis start) {
  start_ = start;
  queue_.Reserve(models_.size());
  for (uint32_t slot = 0; slot < models_.size(); ++slot) queue_.Push(Due(slot, 1, start));
}

void Worker::CollectDue(UnixMillis window_end) {
  pending_.clear();
  // The heap pops in (time, device) order, so pending_ comes out sorted; a device may
  // report more than once in a window.
  while (!queue_.empty() && queue_.top().due < window_end) {
    const DueEntry e = queue_.top();
    pending_.push_back(e);
    queue_.ReplaceTop(Due(e.slot, e.k + 1, start_));
  }
}

uint64_t Worker::EmitPending(const DueEntry* cutoff) {
  uint64_t emitted = 0;
  for (const DueEntry& e : pending_) {
    if (cutoff != nullptr && *cutoff < e) break;
    if (state_.StopRequested() || !Emit(e.slot, e.due, SteadyNs(SteadyClock::now()))) {
      state_.RequestStop();
      break;
    }
    ++emitted;
  }
  return emitted;
}

}  // namespace iiot
