#include "engine/worker_pool.h"

#include <pthread.h>

#include <algorithm>
#include <string>
#include <system_error>

namespace iiot {

UnixMillis WallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

uint32_t ThreadCount(const Config& cfg, uint64_t devices) {
  uint32_t n = cfg.run.threads;
  if (n == 0) n = std::max(1u, std::thread::hardware_concurrency());
  return static_cast<uint32_t>(std::clamp<uint64_t>(devices, 1, n));
}

}  // namespace

WorkerPool::WorkerPool(const Config& cfg, const Fleet& fleet, Sink& sink)
    : cfg_(cfg), fleet_(fleet) {
  const DeviceRange shard = fleet.Simulated(cfg.run);
  const uint64_t devices = shard.size();
  devices_.store(devices, std::memory_order_relaxed);
  modelled_up_to_ = fleet.size();
  const uint32_t threads = ThreadCount(cfg, devices);
  state_ = std::make_unique<RunState>(threads, cfg.run.count);
  std::vector<std::vector<DeviceRange>> ranges;
  for (uint32_t i = 0; i < threads; ++i) {
    // Contiguous slices of the shard, as equal as possible.
    ranges.push_back({DeviceRange{shard.first + shard.size() * i / threads,
                                  shard.first + shard.size() * (i + 1) / threads}});
  }
  live_ = std::make_unique<LiveSettingsSlot>(
      std::make_shared<const LiveSettings>(InitialLiveSettings(cfg, fleet, std::move(ranges))));
  for (uint32_t i = 0; i < threads; ++i)
    workers_.push_back(std::make_unique<Worker>(i, cfg, fleet, sink, *state_, *live_));
  if (cfg.run.mode == Mode::kMax || cfg.run.mode == Mode::kBackfill) {
    const bool backfill = cfg.run.mode == Mode::kBackfill;
    clock_start_ = backfill ? *cfg.run.from : cfg.run.start.value_or(WallClockMs());
    const std::optional<UnixMillis> end = backfill ? cfg.run.to : std::nullopt;
    const double speed = backfill ? cfg.run.speed : 0;
    Millis window = SimulatedRun::ChooseWindow(fleet.ReportsPerDeviceSecond(cfg.run.interval) *
                                               static_cast<double>(devices));
    // When paced, keep each step's wall-clock wait short so a stop is noticed promptly.
    if (speed > 0)
      window = std::min(window, Millis{std::max<int64_t>(1, static_cast<int64_t>(speed * 100))});
    std::vector<Worker*> ws;
    for (auto& w : workers_) ws.push_back(w.get());
    simulated_ = std::make_unique<SimulatedRun>(std::move(ws), *state_, *live_, clock_start_, end,
                                                speed, window);
    state_->reached.store(clock_start_, std::memory_order_relaxed);
  }
}

UnixMillis WorkerPool::Now() const {
  // reached is the end of a window: every report before it is out.
  return simulated_ ? state_->reached.load(std::memory_order_relaxed) - 1 : WallClockMs();
}

std::shared_ptr<const LiveSettings> WorkerPool::Settings() const { return live_->Latest(); }

void WorkerPool::SetLabels(LabelStream* labels) {
  for (auto& w : workers_) w->SetLabels(labels);
}

WorkerPool::~WorkerPool() {
  RequestStop();
  Join();
}

void WorkerPool::SetProbes(LatencyObserver* encode, LatencyObserver* lag) {
  for (auto& w : workers_) w->SetProbes(encode, lag);
}

Result<void> WorkerPool::Start() {
  // Every thread waits at the gate until all exist: when one cannot be started, the others
  // leave without running (a lockstep run would otherwise wait for it at its barrier).
  auto gate = std::make_shared<std::latch>(1);
  std::string failure;
  for (size_t i = 0; i < workers_.size() && failure.empty(); ++i) {
    try {
      threads_.emplace_back([this, i, gate] { RunWorker(i, *gate); });
    } catch (const std::system_error& e) {
      failure = "cannot start worker thread " + std::to_string(i + 1) + " of " +
                std::to_string(workers_.size()) + " (run.threads): " + e.code().message();
    }
  }
  if (!failure.empty()) {
    state_->RequestStop();
    gate->count_down();
    return Fail(failure);
  }
  steady_start_ = std::chrono::steady_clock::now();
  if (!simulated_) clock_start_ = WallClockMs();
  gate->count_down();
  return {};
}

void WorkerPool::RunWorker(size_t i, std::latch& gate) {
  const std::string name = "iiot-worker-" + std::to_string(i);
  pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
  gate.wait();
  if (state_->StopRequested()) {  // another thread could not be started: nobody runs
    state_->progress[i].finished.store(true, std::memory_order_release);
    return;
  }
  Worker& w = *workers_[i];
  switch (cfg_.run.mode) {
    case Mode::kRealtime:
      if (!RunGuarded(*state_, i, [&] { w.RunRealtime(clock_start_, steady_start_); })) {
        state_->progress[i].finished.store(true, std::memory_order_release);
      }
      break;
    case Mode::kRate:
      if (!RunGuarded(*state_, i, [&] { w.RunRate(clock_start_, steady_start_); })) {
        state_->progress[i].finished.store(true, std::memory_order_release);
      }
      break;
    case Mode::kMax:
    case Mode::kBackfill:
      simulated_->Run(i);  // guards each step itself (its barriers need every worker)
      break;
  }
}

void WorkerPool::Apply(const Config& next) {
  MutexLock lock(&apply_mu_);
  auto s = std::make_shared<LiveSettings>(*live_->Latest());
  ++s->version;
  s->params = {next.sensors, next.anomalies, next.incidents};
  if (cfg_.run.mode == Mode::kRealtime || cfg_.run.mode == Mode::kRate) {
    s->rate = next.run.rate;
    s->intervals = ProfileIntervals(next, fleet_);
    s->jitter = next.run.jitter;
    const uint64_t n = next.fleet.devices;
    if (cfg_.run.shard_count == 1 && cfg_.run.slice_devices == 0 && n != s->device_limit) {
      if (n > modelled_up_to_) {
        // Devices never modelled yet: a contiguous chunk for each worker, as equal as
        // possible; each worker creates their models when it takes the settings.
        const uint64_t first = modelled_up_to_ + 1, added = n - modelled_up_to_;
        const uint64_t parts = s->ranges.size();
        for (uint64_t i = 0; i < parts; ++i) {
          const DeviceRange r{first + added * i / parts, first + added * (i + 1) / parts};
          if (r.size() > 0) s->ranges[i].push_back(r);
        }
        modelled_up_to_ = n;
      }
      s->device_limit = n;
      s->active_devices = n;
      devices_.store(n, std::memory_order_relaxed);
    }
  }
  live_->Publish(std::move(s));
}

void WorkerPool::Join() {
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

}  // namespace iiot
