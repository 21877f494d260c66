// Cost of the simulation's hot path: one DeviceModel::Sample (per default profile, and over
// a fleet too large for the caches) and one Fleet::FormatId.
#include <benchmark/benchmark.h>

#include <vector>

#include "sim/device_model.h"
#include "sim/fleet.h"

namespace iiot {
namespace {

constexpr UnixMillis kStart = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

// One device of profile state.range(0) (DefaultProfiles() order), default parameters:
// trends on, default anomaly rates.
void BM_SampleOneDevice(benchmark::State& state) {
  const std::vector<Profile> profiles = DefaultProfiles();
  const Profile& profile = profiles[static_cast<size_t>(state.range(0))];
  const ModelParams params;
  DeviceModel model(1, 42, profile);
  Reading r;
  UnixMillis t = kStart;
  for (auto _ : state) {
    model.Sample(params, t, &r);
    benchmark::DoNotOptimize(r);
    t += 5000;
  }
  state.SetLabel(profile.name);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SampleOneDevice)->DenseRange(0, 4);

// Round-robin over state.range(0) devices of the default mix, as a worker does.
void BM_SampleFleet(benchmark::State& state) {
  Config cfg;
  cfg.fleet.devices = static_cast<uint64_t>(state.range(0));
  cfg.fleet.profiles = DefaultProfiles();
  const Fleet fleet(cfg);
  const ModelParams params;
  std::vector<DeviceModel> models;
  models.reserve(fleet.size());
  for (uint64_t d = 1; d <= fleet.size(); ++d) models.emplace_back(1, d, fleet.ProfileOf(d));
  Reading r;
  size_t i = 0;
  UnixMillis t = kStart;
  for (auto _ : state) {
    models[i].Sample(params, t, &r);
    benchmark::DoNotOptimize(r);
    if (++i == models.size()) {
      i = 0;
      t += 5000;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SampleFleet)->Arg(1000)->Arg(200'000);

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

}  // namespace
}  // namespace iiot
