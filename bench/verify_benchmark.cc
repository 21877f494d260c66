// What `verify` does per message once librdkafka has handed it over: TopicCheck::Add
// (decode, then seq tracking) and the seq tracking alone, over messages from the real
// device models (all default profiles), each device keyed to one of 12 partitions.
//   build/<preset>/bench/verify_benchmark
// Reports time per message, messages per second and the counter bytes_per_device (the
// tracker's MemoryBytes() over the devices tracked).
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "codec/encoder.h"
#include "sim/device_model.h"
#include "sim/fleet.h"
#include "verify/seq_tracker.h"
#include "verify/verify_command.h"

namespace iiot {
namespace {

constexpr int32_t kPartitions = 12;

struct Message {
  int32_t partition;
  std::string key, value;
};

// `steps` messages from each of `devices` devices, in time order.
std::vector<Message> Messages(Format format, uint64_t devices, int steps) {
  Config cfg;
  cfg.fleet.devices = devices;
  cfg.fleet.profiles = DefaultProfiles();
  const Fleet fleet(cfg);
  std::vector<DeviceModel> models;
  for (uint64_t d = 1; d <= devices; ++d) {
    models.emplace_back(cfg.run.seed, d, fleet.ProfileOf(d), fleet.LocationOf(d));
  }
  const ModelParams params{cfg.sensors, cfg.anomalies, cfg.incidents};
  Plant plant(cfg.run.seed);
  auto enc = MakeEncoder(format, fleet);
  std::vector<Message> out;
  for (int step = 0; step < steps; ++step) {
    for (DeviceModel& m : models) {
      Reading r;
      m.Sample(params, plant, 1'795'255'200'000 + step * 5000 + static_cast<int64_t>(m.device()),
               &r);
      out.push_back({static_cast<int32_t>(r.device % kPartitions), std::string(enc->Key(r)),
                     std::string(enc->Encode(r))});
    }
  }
  return out;
}

// A fresh TopicCheck per pass over the messages, so every device's seqs run 1, 2, 3...
void BM_TopicCheckAdd(benchmark::State& state, Format format) {
  const std::vector<Message> messages = Messages(format, 10'000, 5);
  VerifyOptions options;
  options.format = format;
  auto check = std::make_unique<TopicCheck>(options);
  size_t i = 0;
  int64_t offset = 0;
  for (auto _ : state) {
    const Message& m = messages[i];
    check->Add(m.partition, offset++, m.key, m.value);
    if (++i == messages.size()) {
      state.PauseTiming();
      check = std::make_unique<TopicCheck>(options);
      i = 0;
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_TopicCheckAdd, json, Format::kJson);
BENCHMARK_CAPTURE(BM_TopicCheckAdd, protobuf, Format::kProtobuf);

// SeqTracker::Add alone, in order, for state.range(0) devices; device ids as the fleet
// writes them.
void BM_SeqTrackerAdd(benchmark::State& state) {
  const auto devices = static_cast<uint64_t>(state.range(0));
  Config cfg;
  cfg.fleet.devices = devices;
  const Fleet fleet(cfg);
  std::string ids;
  std::vector<std::pair<size_t, size_t>> spans;  // into ids
  for (uint64_t d = 1; d <= devices; ++d) {
    char id[Fleet::kMaxIdLength];
    const size_t n = fleet.FormatId(d, id);
    spans.emplace_back(ids.size(), n);
    ids.append(id, n);
  }
  SeqTracker tracker;
  uint64_t seq = 1;
  size_t d = 0;
  for (auto _ : state) {
    const std::string_view id(ids.data() + spans[d].first, spans[d].second);
    tracker.Add(id, seq, static_cast<int32_t>(d % kPartitions), true);
    if (++d == spans.size()) {
      d = 0;
      ++seq;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["bytes_per_device"] =
      static_cast<double>(tracker.MemoryBytes()) / static_cast<double>(tracker.devices());
}
BENCHMARK(BM_SeqTrackerAdd)->Arg(10'000)->Arg(1'000'000);

}  // namespace
}  // namespace iiot
