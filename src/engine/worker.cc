#include "engine/worker.h"

#include <algorithm>
#include <thread>

namespace iiot {

namespace {

using SteadyClock = std::chrono::steady_clock;

// The probes time 1 message in this many.
constexpr uint32_t kProbeEvery = 64;
// Messages emitted as fast as possible between two readings of the clock.
constexpr size_t kClockEvery = 8;
// How many reports ahead a model is loaded into the cache before it is sampled.
constexpr size_t kPrefetchAhead = 4;
// The longest a wall-clock loop sleeps before it looks for a stop or new settings again.
constexpr auto kPollPeriod = std::chrono::milliseconds(100);
// `rate` mode wakes at most once per tick and sends every message due by then, each with
// its own intended time: a wake-up per message (every 10 us at 100k msg/s) cost more CPU in
// context switches than the messages themselves.
constexpr auto kPaceTick = std::chrono::microseconds(500);

int64_t SteadyNs(SteadyClock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// The value of every message when generation is off: `bytes` letters A..Z from a fixed
// sequence, like Kafka's ProducerPerformance payload (printable, no newline, so the
// stdout sink still writes one value per line). Empty when bytes is 0.
std::string FixedPayload(uint32_t bytes) {
  std::string payload(bytes, 'A');
  uint64_t x = 0x9e3779b97f4a7c15;
  for (char& c : payload) {
    x = x * 6364136223846793005 + 1442695040888963407;
    c = static_cast<char>('A' + (x >> 33) % 26);
  }
  return payload;
}

}  // namespace

Worker::Worker(size_t index, const Config& cfg, const Fleet& fleet, Sink& sink, RunState& state,
               const LiveSettingsSlot& live)
    : index_(index),
      seed_(cfg.run.seed),
      fleet_(fleet),
      sink_(sink),
      state_(state),
      progress_(state.progress[index]),
      live_(live),
      payload_(FixedPayload(cfg.output.payload_bytes)),
      plant_(cfg.run.seed),
      held_(cfg.incidents.replay_buffer),
      encoder_(MakeEncoder(cfg.output.format, fleet)) {
  AdoptLatest();
}

void Worker::AddDevices(DeviceRange r) {
  models_.reserve(models_.size() + r.size());
  profile_.reserve(profile_.size() + r.size());
  for (uint64_t d = r.first; d < r.last; ++d) {
    const uint32_t p = fleet_.ProfileIndex(d);
    profile_.push_back(static_cast<uint16_t>(p));
    models_.emplace_back(seed_, d, fleet_.profiles()[p], fleet_.LocationOf(d));
  }
}

Worker::Adopted Worker::AdoptLatest() {
  std::shared_ptr<const LiveSettings> next = live_.Latest();
  const LiveSettings* old = settings_.get();
  Adopted adopted;
  adopted.schedule =
      old == nullptr || old->intervals != next->intervals || old->jitter != next->jitter;
  adopted.rate =
      old == nullptr || old->rate != next->rate || old->active_devices != next->active_devices;
  params_ = next->params;
  if (index_ < next->ranges.size()) {
    const std::vector<DeviceRange>& mine = next->ranges[index_];
    for (; ranges_adopted_ < mine.size(); ++ranges_adopted_) AddDevices(mine[ranges_adopted_]);
  }
  const uint64_t limit = next->device_limit;
  const auto end =
      std::partition_point(models_.begin(), models_.end(),
                           [limit](const DeviceModel& m) { return m.device() <= limit; });
  const auto active = static_cast<uint64_t>(end - models_.begin());
  adopted.devices = active != active_;
  adopted.rate = adopted.rate || adopted.devices;
  active_ = active;
  settings_ = std::move(next);
  return adopted;
}

DueEntry Worker::Due(uint32_t slot, uint64_t k) const {
  const uint64_t device = models_[slot].device();
  return {DueTime(base_, seed_, device, k, settings_->intervals[profile_[slot]], settings_->jitter),
          device, slot, k, profile_[slot]};
}

DueEntry Worker::After(const DueEntry& e) const {
  return {
      DueTime(base_, seed_, e.device, e.k + 1, settings_->intervals[e.profile], settings_->jitter),
      e.device, e.slot, e.k + 1, e.profile};
}

void Worker::Prefetch(uint32_t slot) const {
  const char* model = reinterpret_cast<const char*>(&models_[slot]);
  for (size_t at = 0; at < sizeof(DeviceModel); at += 64) __builtin_prefetch(model + at);
}

DueEntry Worker::NextDue(uint32_t slot, UnixMillis now) const {
  const Millis interval = settings_->intervals[profile_[slot]];
  const int64_t step = std::max<int64_t>(1, interval.count());
  const UnixMillis first = base_ + PhaseOffset(models_[slot].device(), interval);
  const uint64_t k = now <= first ? 1 : static_cast<uint64_t>((now - first + step - 1) / step) + 1;
  return Due(slot, k);
}

Millis Worker::LongestInterval() const {
  Millis longest{1};
  for (const Millis interval : settings_->intervals) longest = std::max(longest, interval);
  return longest;
}

int64_t Worker::SteadyNsOf(UnixMillis t) const {
  return SteadyNs(steady_start_) + (t - start_) * 1'000'000;
}

bool Worker::Emit(uint32_t slot, UnixMillis t, int64_t intended_ns) {
  const bool probe = ++probe_tick_ % kProbeEvery == 0;
  if (probe && lag_ != nullptr)
    lag_->Observe(std::max<int64_t>(0, SteadyNs(SteadyClock::now()) - intended_ns));
  if (!payload_.empty()) return SendFixed(slot, intended_ns);
  if (const IncidentLabel outage = models_[slot].Offline(params_, plant_, t);
      outage.phase != IncidentPhase::kNone) {
    Withhold(slot, {t, outage});
    return true;
  }
  if (held_.Holds(slot) && !Replay(slot, intended_ns)) return false;
  return Send(slot, t, intended_ns, probe);
}

void Worker::Withhold(uint32_t slot, const HeldReading& reading) {
  if (!params_.incidents.replay) {
    RunState::Bump(progress_.unsent);
    return;
  }
  held_.set_capacity(params_.incidents.replay_buffer);
  const uint64_t pushed_out = held_.Hold(slot, reading);
  if (pushed_out > 0) {
    progress_.unsent.store(progress_.unsent.load(std::memory_order_relaxed) + pushed_out,
                           std::memory_order_relaxed);
  }
  progress_.held.store(held_.size(), std::memory_order_relaxed);
}

bool Worker::Replay(uint32_t slot, int64_t intended_ns) {
  // Oldest first, each sampled at its own time (what the device measured while offline)
  // and labelled with the outage that held it, whatever the settings say by now.
  bool sending = true;
  while (sending && held_.Holds(slot)) {
    const HeldReading held = held_.Oldest(slot);
    sending = Send(slot, held.t, intended_ns, false, &held.outage);
    if (!sending) break;
    held_.DropOldest(slot);
    RunState::Bump(progress_.replayed);
  }
  progress_.held.store(held_.size(), std::memory_order_relaxed);
  return sending;
}

bool Worker::Send(uint32_t slot, UnixMillis t, int64_t intended_ns, bool probe,
                  const IncidentLabel* outage) {
  models_[slot].Sample(params_, plant_, t, &reading_);
  if (outage != nullptr) reading_.incident = *outage;
  const bool time_encode = probe && encode_probe_ != nullptr;
  const SteadyTime encode_start = time_encode ? SteadyClock::now() : SteadyTime{};
  const std::string_view key = encoder_->Key(reading_);
  const std::string_view value = encoder_->Encode(reading_);
  if (time_encode) encode_probe_->Observe(SteadyNs(SteadyClock::now()) - SteadyNs(encode_start));
  const SendResult r = sink_.Send(key, value, intended_ns);
  if (r == SendResult::kStopped) return false;
  if (labels_ != nullptr) Label(slot);
  RunState::Bump(progress_.generated);
  if (reading_.anomaly != AnomalyKind::kNone) {
    const auto kind = static_cast<size_t>(reading_.anomaly);
    RunState::Bump(progress_.anomaly_messages[kind]);
    if (reading_.anomaly_started) RunState::Bump(progress_.anomaly_episodes[kind]);
  }
  return true;
}

bool Worker::SendFixed(uint32_t slot, int64_t intended_ns) {
  const std::string_view key(key_.data(), fleet_.FormatId(models_[slot].device(), key_.data()));
  if (sink_.Send(key, payload_, intended_ns) == SendResult::kStopped) return false;
  RunState::Bump(progress_.generated);
  return true;
}

void Worker::Label(uint32_t slot) {
  const Reading& r = reading_;
  const auto write = [this](LabelEvent event, const AnomalyEpisode& e) {
    labels_->Write(IncidentIdText(AnomalyEpisodeId(e.device, e.start_seq)),
                   AnomalyRecord(event, e, fleet_));
  };
  if (r.anomaly_cut) {
    if (const auto it = episodes_.find(slot); it != episodes_.end()) {
      write(LabelEvent::kEnd, it->second);
      episodes_.erase(it);
    }
  }
  if (r.anomaly == AnomalyKind::kNone) return;
  if (r.anomaly_started) {
    const AnomalyEpisode e{r.device, r.anomaly, r.anomaly_sensor, r.seq, r.ts, r.seq, r.ts};
    write(LabelEvent::kStart, e);
    if (r.anomaly_ended) {
      write(LabelEvent::kEnd, e);
    } else {
      episodes_[slot] = e;
    }
    return;
  }
  const auto it = episodes_.find(slot);
  if (it == episodes_.end()) return;
  it->second.end_seq = r.seq;
  it->second.end_ts = r.ts;
  if (r.anomaly_ended) {
    write(LabelEvent::kEnd, it->second);
    episodes_.erase(it);
  }
}

void Worker::Reschedule(const Adopted& adopted, uint64_t was_active, UnixMillis now) {
  if (adopted.schedule) {
    // New intervals: every device starts again from now, phases spread over its interval.
    base_ = now;
    queue_ = DueQueue();
    queue_.SetSpan(LongestInterval(), active_);
    queue_.Reserve(active_);
    for (uint32_t slot = 0; slot < active_; ++slot) queue_.Push(Due(slot, 1));
    return;
  }
  if (!adopted.devices) return;
  if (active_ < was_active) {
    // Fewer devices: keep the entries of those still reporting.
    pending_.clear();
    while (!queue_.empty()) {
      const DueEntry e = queue_.Pop();
      if (e.slot < active_) pending_.push_back(e);
    }
    for (const DueEntry& e : pending_) queue_.Push(e);
    pending_.clear();
  }
  // Devices (back) in: their next report on the running schedule, no catch-up.
  queue_.Reserve(active_);
  for (auto slot = static_cast<uint32_t>(was_active); slot < active_; ++slot)
    queue_.Push(NextDue(slot, now));
}

void Worker::RunRealtime(UnixMillis start, SteadyClock::time_point steady_start) {
  start_ = start;
  steady_start_ = steady_start;
  base_ = start;
  lag_ = lag_probe_;
  queue_.SetSpan(LongestInterval(), active_);
  queue_.Reserve(active_);
  for (uint32_t slot = 0; slot < active_; ++slot) queue_.Push(Due(slot, 1));
  const auto wall_now = [&] {
    return start +
           std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - steady_start)
               .count();
  };
  while (!state_.StopRequested()) {
    if (live_.version() != settings_->version) {
      const uint64_t was_active = active_;
      const Adopted adopted = AdoptLatest();  // may take a while when many devices are added
      Reschedule(adopted, was_active, wall_now());
    }
    const UnixMillis now = wall_now();
    // One report taken, then sent: the work of sending it gives the queue's look-ahead time
    // to load the reports after it, and the next report's model is loaded meanwhile.
    while (!queue_.empty() && queue_.top().due <= now) {
      const DueEntry e = queue_.top();
      queue_.ReplaceTop(After(e));
      if (!queue_.empty()) Prefetch(queue_.top().slot);
      if (state_.StopRequested() || !state_.ClaimOne() || !Emit(e.slot, e.due, SteadyNsOf(e.due))) {
        state_.RequestStop();
        break;
      }
    }
    if (state_.StopRequested()) break;
    // Sleep until the next report, but wake at least every 100 ms to notice a stop or a
    // new setting (a worker whose devices were all stopped just waits).
    const UnixMillis wake = std::min(queue_.empty() ? now + kPollPeriod.count() : queue_.top().due,
                                     now + kPollPeriod.count());
    std::this_thread::sleep_until(steady_start + std::chrono::milliseconds(wake - start));
  }
  progress_.finished.store(true, std::memory_order_release);
}

void Worker::RunRate(UnixMillis start, SteadyClock::time_point steady_start) {
  start_ = start;
  steady_start_ = steady_start;
  lag_ = lag_probe_;
  // This worker's share of the rate: proportional to its reporting devices.
  const auto ns_per_message = [this] {
    const LiveSettings& s = *settings_;
    if (active_ == 0 || s.active_devices == 0 || s.rate <= 0) return 0.0;
    const double share =
        s.rate * static_cast<double>(active_) / static_cast<double>(s.active_devices);
    return 1e9 / share;
  };
  double ns_per_msg = ns_per_message();
  SteadyTime pace_start = steady_start;  // sent messages are paced from here
  uint64_t sent = 0;
  uint32_t slot = 0;
  while (!state_.StopRequested()) {
    if (live_.version() != settings_->version) {
      if (AdoptLatest().rate) {
        // A new share counts from now: no burst to catch up with the new rate.
        ns_per_msg = ns_per_message();
        pace_start = SteadyClock::now();
        sent = 0;
      }
      if (slot >= active_) slot = 0;
    }
    if (ns_per_msg <= 0) {
      std::this_thread::sleep_for(kPollPeriod);
      continue;
    }
    const double elapsed_ns = static_cast<double>((SteadyClock::now() - pace_start).count());
    // Messages due by now, in chunks of at most 100 ms' worth so that a stop or a new
    // setting is noticed promptly; a backlog is caught up over several chunks.
    auto due = static_cast<uint64_t>(elapsed_ns / ns_per_msg) + 1;
    due = std::min(due, sent + static_cast<uint64_t>(1e8 / ns_per_msg) + 1);
    for (; sent < due; ++sent) {
      const int64_t intended =
          SteadyNs(pace_start) + static_cast<int64_t>(static_cast<double>(sent) * ns_per_msg);
      const UnixMillis ts = start + (intended - SteadyNs(steady_start)) / 1'000'000;
      if (state_.StopRequested() || !state_.ClaimOne() || !Emit(slot, ts, intended)) {
        state_.RequestStop();
        break;
      }
      slot = slot + 1 == active_ ? 0 : slot + 1;
    }
    const auto next =
        pace_start +
        std::chrono::nanoseconds(static_cast<int64_t>(static_cast<double>(sent) * ns_per_msg));
    const SteadyTime now = SteadyClock::now();
    std::this_thread::sleep_until(std::min(std::max(next, now + kPaceTick), now + kPollPeriod));
  }
  progress_.finished.store(true, std::memory_order_release);
}

void Worker::ScheduleFrom(UnixMillis start) {
  base_ = start;
  queue_.SetSpan(LongestInterval(), active_);
  queue_.Reserve(active_);
  for (uint32_t slot = 0; slot < active_; ++slot) queue_.Push(Due(slot, 1));
}

void Worker::CollectDue(UnixMillis window_end) {
  pending_.clear();
  // The heap pops in (time, device) order, so pending_ comes out sorted; a device may
  // report more than once in a window.
  while (!queue_.empty() && queue_.top().due < window_end) {
    const DueEntry e = queue_.top();
    pending_.push_back(e);
    queue_.ReplaceTop(After(e));
  }
}

uint64_t Worker::EmitPending(const DueEntry* cutoff) {
  const size_t end =
      cutoff == nullptr
          ? pending_.size()
          : static_cast<size_t>(std::upper_bound(pending_.begin(), pending_.end(), *cutoff) -
                                pending_.begin());
  const size_t emitted = EmitBatch(end);
  if (emitted < end) state_.RequestStop();
  return emitted;
}

size_t Worker::EmitBatch(size_t end) {
  // As fast as it can go, a message is intended for the moment it is reached: the clock is
  // read every kClockEvery messages (a few microseconds apart) rather than for each one.
  int64_t now_ns = 0;
  for (size_t i = 0; i < end; ++i) {
    if (i + kPrefetchAhead < end) Prefetch(pending_[i + kPrefetchAhead].slot);
    const DueEntry& e = pending_[i];
    if (state_.StopRequested()) return i;
    if (i % kClockEvery == 0) now_ns = SteadyNs(SteadyClock::now());
    if (!Emit(e.slot, e.due, now_ns)) return i;
  }
  return end;
}

}  // namespace iiot
