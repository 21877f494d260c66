// Encoder and decoder cost per message, for a 4-sensor device (the default "boiler-room"
// profile: temperature, pressure, switch, current). Readings come from the real device
// models over 1,000 devices, so ids, values and timestamps vary as in a run.
//   build/<preset>/bench/codec_benchmark
// Reports time per message, messages per second (items_per_second) and, for the
// encoders, the counter bytes_per_msg.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "codec/decoder.h"
#include "codec/encoder.h"
#include "sim/device_model.h"
#include "sim/fleet.h"

namespace iiot {
namespace {

constexpr uint64_t kDevices = 1000;
constexpr int kSteps = 8;

Config FourSensorConfig() {
  Config cfg;
  for (const Profile& p : DefaultProfiles()) {
    if (p.sensors.size() == 4) cfg.fleet.profiles = {p};
  }
  return cfg;
}

std::vector<Reading> Readings(const Config& cfg, const Fleet& fleet) {
  std::vector<DeviceModel> models;
  for (uint64_t d = 1; d <= kDevices; ++d) {
    models.emplace_back(cfg.run.seed, d, fleet.ProfileOf(d), fleet.LocationOf(d));
  }
  const ModelParams params{cfg.sensors, cfg.anomalies};
  Plant plant(cfg.run.seed);
  std::vector<Reading> out;
  const UnixMillis start = 1'795'255'200'000;
  for (int step = 0; step < kSteps; ++step) {
    for (DeviceModel& m : models) {
      Reading r;
      m.Sample(params, plant, start + step * 3000 + static_cast<int64_t>(m.device()), &r);
      out.push_back(r);
    }
  }
  return out;
}

void BM_Encode(benchmark::State& state, Format format) {
  const Config cfg = FourSensorConfig();
  const Fleet fleet(cfg);
  const std::vector<Reading> readings = Readings(cfg, fleet);
  auto enc = MakeEncoder(format, fleet);
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string_view value = enc->Encode(readings[i]);
    benchmark::DoNotOptimize(value.data());
    bytes += value.size();
    if (++i == readings.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["bytes_per_msg"] =
      static_cast<double>(bytes) / static_cast<double>(state.iterations());
}
BENCHMARK_CAPTURE(BM_Encode, json, Format::kJson);
BENCHMARK_CAPTURE(BM_Encode, protobuf, Format::kProtobuf);

void BM_Key(benchmark::State& state) {
  const Config cfg = FourSensorConfig();
  const Fleet fleet(cfg);
  const std::vector<Reading> readings = Readings(cfg, fleet);
  auto enc = MakeEncoder(Format::kJson, fleet);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(enc->Key(readings[i]).data());
    if (++i == readings.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Key);

// Decoding the values the encoders above write, as `verify` does: one DecodedReading
// reused throughout. items_per_second is messages decoded per second on one core.
void DecodeBenchmark(benchmark::State& state, Format format) {
  const Config cfg = FourSensorConfig();
  const Fleet fleet(cfg);
  auto enc = MakeEncoder(format, fleet);
  std::vector<std::string> messages;
  for (const Reading& r : Readings(cfg, fleet)) messages.emplace_back(enc->Encode(r));
  DecodedReading out;
  std::string error;
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    if (!Decode(format, messages[i], &out, &error)) state.SkipWithError(error.c_str());
    benchmark::DoNotOptimize(out.seq);
    bytes += messages[i].size();
    if (++i == messages.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

void BM_DecodeJson(benchmark::State& state) { DecodeBenchmark(state, Format::kJson); }
BENCHMARK(BM_DecodeJson);

void BM_DecodeProtobuf(benchmark::State& state) { DecodeBenchmark(state, Format::kProtobuf); }
BENCHMARK(BM_DecodeProtobuf);

}  // namespace
}  // namespace iiot
