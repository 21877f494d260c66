#include "app/producer.h"

#include <pthread.h>

#include <algorithm>
#include <string>

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

// Expected reports per second of simulated time from `devices` devices of this fleet.
double ReportsPerSecond(const Fleet& fleet, const Config& cfg, uint64_t devices) {
  double weight_sum = 0, per_s = 0;
  for (const Profile& p : fleet.profiles()) weight_sum += p.weight;
  for (const Profile& p : fleet.profiles()) {
    const double interval_s =
        static_cast<double>(p.interval.value_or(cfg.run.interval).count()) / 1000.0;
    per_s += p.weight / weight_sum / interval_s;
  }
  return per_s * static_cast<double>(devices);
}

}  // namespace

Producer::Producer(const Config& cfg, const Fleet& fleet, Sink& sink) : cfg_(cfg) {
  const DeviceRange shard = Fleet::Shard(fleet.size(), cfg.run.shard_index, cfg.run.shard_count);
  devices_ = shard.size();
  const uint32_t threads = ThreadCount(cfg, devices_);
  state_ = std::make_unique<RunState>(threads, cfg.run.count);
  for (uint32_t i = 0; i < threads; ++i) {
    // Contiguous slices of the shard, as equal as possible.
    const DeviceRange r{shard.first + shard.size() * i / threads,
                        shard.first + shard.size() * (i + 1) / threads};
    workers_.push_back(std::make_unique<Worker>(i, cfg, fleet, r, sink, *state_));
  }
  if (cfg.run.mode == Mode::kMax || cfg.run.mode == Mode::kBackfill) {
    const bool backfill = cfg.run.mode == Mode::kBackfill;
    clock_start_ = backfill ? *cfg.run.from : cfg.run.start.value_or(WallClockMs());
    const std::optional<UnixMillis> end = backfill ? cfg.run.to : std::nullopt;
    const double speed = backfill ? cfg.run.speed : 0;
    Millis window = SimulatedRun::ChooseWindow(ReportsPerSecond(fleet, cfg, devices_));
    // When paced, keep each step's wall-clock wait short so a stop is noticed promptly.
    if (speed > 0)
      window = std::min(window, Millis{std::max<int64_t>(1, static_cast<int64_t>(speed * 100))});
    std::vector<Worker*> ws;
    for (auto& w : workers_) ws.push_back(w.get());
    simulated_ =
        std::make_unique<SimulatedRun>(std::move(ws), *state_, clock_start_, end, speed, window);
  }
}

Producer::~Producer() {
  RequestStop();
  Join();
}

void Producer::Start() {
  const auto steady_start = std::chrono::steady_clock::now();
  if (!simulated_) clock_start_ = WallClockMs();
  for (size_t i = 0; i < workers_.size(); ++i) {
    threads_.emplace_back([this, i, steady_start] {
      const std::string name = "iiot-worker-" + std::to_string(i);
      pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
      Worker& w = *workers_[i];
      switch (cfg_.run.mode) {
        case Mode::kRealtime:
          w.RunRealtime(clock_start_, steady_start);
          break;
        case Mode::kRate: {
          // Each worker carries a share of the rate proportional to its devices.
          const double share = static_cast<double>(w.devices()) / static_cast<double>(devices_);
          w.RunRate(cfg_.run.rate * share, clock_start_, steady_start);
          break;
        }
        case Mode::kMax:
        case Mode::kBackfill:
          simulated_->Run(i);
          break;
      }
    });
  }
}

void Producer::Join() {
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

}  // namespace iiot
