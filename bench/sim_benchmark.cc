// Cost of the simulation's hot path: one DeviceModel::Sample (per default profile, and over
// a fleet too large for the caches), one Fleet::FormatId, and taking one report from a
// worker's schedule (DueQueue) at 10k, 1M and 10M devices.
#include <benchmark/benchmark.h>

#include <vector>

#include "sim/device_model.h"
#include "sim/fleet.h"
#include "sim/schedule.h"

namespace iiot {
namespace {

constexpr UnixMillis kStart = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

// One device of profile state.range(0) (DefaultProfiles() order), default parameters:
// trends on, default anomaly rates.
void BM_SampleOneDevice(benchmark::State& state) {
  const std::vector<Profile> profiles = DefaultProfiles();
  const Profile& profile = profiles[static_cast<size_t>(state.range(0))];
  const ModelParams params;
  Plant plant(1);
  DeviceModel model(1, 42, profile);
  Reading r;
  UnixMillis t = kStart;
  for (auto _ : state) {
    model.Sample(params, plant, t, &r);
    benchmark::DoNotOptimize(r);
    t += 5000;
  }
  state.SetLabel(profile.name);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SampleOneDevice)->DenseRange(0, 4);

// Round-robin over state.range(0) devices of the default mix, as a worker does. range(1):
// 0 = every device at the same instant each round (lockstep: the plant's shared values are
// computed once per round); 1 = each device at its own instant, spread over the interval
// (realtime phases: with few devices every sample recomputes them).
void BM_SampleFleet(benchmark::State& state) {
  Config cfg;
  cfg.fleet.devices = static_cast<uint64_t>(state.range(0));
  cfg.fleet.profiles = DefaultProfiles();
  const Fleet fleet(cfg);
  const ModelParams params;
  Plant plant(1);
  std::vector<DeviceModel> models;
  models.reserve(fleet.size());
  for (uint64_t d = 1; d <= fleet.size(); ++d) {
    models.emplace_back(1, d, fleet.ProfileOf(d), fleet.LocationOf(d));
  }
  const bool phased = state.range(1) != 0;
  const auto n = static_cast<int64_t>(models.size());
  Reading r;
  size_t i = 0;
  UnixMillis t = kStart;
  for (auto _ : state) {
    const UnixMillis at = phased ? t + static_cast<int64_t>(i) * 5000 / n : t;
    models[i].Sample(params, plant, at, &r);
    benchmark::DoNotOptimize(r);
    if (++i == models.size()) {
      i = 0;
      t += 5000;
    }
  }
  state.SetLabel(phased ? "phased" : "lockstep");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SampleFleet)->Args({1000, 0})->Args({200'000, 0})->Args({1000, 1})->Args({200'000, 1});

void BM_FormatId(benchmark::State& state) {
  Config cfg;
  cfg.fleet.devices = 1'000'000;
  cfg.fleet.profiles = DefaultProfiles();
  const Fleet fleet(cfg);
  char buf[Fleet::kMaxIdLength];
  uint64_t d = 1;
  for (auto _ : state) {
    benchmark::DoNotOptimize(fleet.FormatId(d, buf));
    benchmark::ClobberMemory();
    d = d == 1'000'000 ? 1 : d + 1;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FormatId);

// One report taken from the schedule of state.range(0) devices reporting every 5 s with
// 10 % jitter, and the device's next report put back: what a worker does per message.
void BM_ScheduleNext(benchmark::State& state) {
  const auto devices = static_cast<uint64_t>(state.range(0));
  const Millis interval{5000};
  DueQueue queue;
  queue.SetSpan(interval, devices);
  queue.Reserve(devices);
  for (uint64_t d = 1; d <= devices; ++d) {
    queue.Push(DueEntry{DueTime(kStart, 7, d, 1, interval, 0.1), d, static_cast<uint32_t>(d), 1});
  }
  for (auto _ : state) {
    const DueEntry e = queue.top();
    queue.ReplaceTop(
        DueEntry{DueTime(kStart, 7, e.device, e.k + 1, interval, 0.1), e.device, e.slot, e.k + 1});
    benchmark::DoNotOptimize(e);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ScheduleNext)->Arg(10'000)->Arg(1'000'000)->Arg(10'000'000);

}  // namespace
}  // namespace iiot
