// Proves the encoders' and decoders' steady state allocates nothing: global operator new is
// replaced by a counting one, and 10,000 encodes (decodes) after a warm-up must not call it.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

#include "../allocation_counter.h"
#include "codec/decoder.h"
#include "codec/encoder.h"
#include "codec/json_encoder.h"
#include "codec/protobuf_encoder.h"
#include "sample_readings.h"

namespace iiot {
namespace {

constexpr uint64_t kDevices = 500;
constexpr int kWarmUpSteps = 4;    // 2,000 readings
constexpr int kCountedSteps = 20;  // 10,000 readings, later in time than the warm-up

// Allocations made by encoding (value and key) every reading once.
uint64_t AllocationsToEncode(Encoder& enc, const std::vector<Reading>& readings) {
  size_t bytes = 0;
  const uint64_t before = g_allocations.load();
  for (const Reading& r : readings) {
    bytes += enc.Encode(r).size();
    bytes += enc.Key(r).size();
  }
  const uint64_t after = g_allocations.load();
  EXPECT_GT(bytes, 0u);
  return after - before;
}

class EncoderAllocations : public ::testing::TestWithParam<Format> {};

TEST_P(EncoderAllocations, SteadyStateEncodesAllocateNothing) {
  const Config cfg = testing::BusyConfig();
  const Fleet fleet(cfg);
  const std::vector<Reading> all =
      testing::SimulatedReadings(cfg, fleet, kDevices, kWarmUpSteps + kCountedSteps);
  const auto split = all.begin() + static_cast<std::ptrdiff_t>(kDevices * kWarmUpSteps);
  const std::vector<Reading> warm_up(all.begin(), split);
  const std::vector<Reading> counted(split, all.end());
  ASSERT_EQ(counted.size(), 10'000u);

  auto enc = MakeEncoder(GetParam(), fleet);
  AllocationsToEncode(*enc, warm_up);
  EXPECT_EQ(AllocationsToEncode(*enc, counted), 0u);
}

INSTANTIATE_TEST_SUITE_P(Codec, EncoderAllocations,
                         ::testing::Values(Format::kJson, Format::kProtobuf),
                         [](const auto& param_info) {
                           return std::string(Name(param_info.param));
                         });

class DecoderAllocations : public ::testing::TestWithParam<Format> {};

// One DecodedReading reused, as verify does: its strings keep their capacity, and the
// decoder's per-thread buffers theirs, once every kind of message was seen.
TEST_P(DecoderAllocations, SteadyStateDecodesAllocateNothing) {
  const Config cfg = testing::BusyConfig();
  const Fleet fleet(cfg);
  auto enc = MakeEncoder(GetParam(), fleet);
  std::vector<std::string> messages;
  for (const Reading& r : testing::SimulatedReadings(cfg, fleet, kDevices, kCountedSteps)) {
    messages.emplace_back(enc->Encode(r));
  }
  DecodedReading m;
  std::string error;
  for (const std::string& value : messages) ASSERT_TRUE(Decode(GetParam(), value, &m, &error));
  const uint64_t before = g_allocations.load();
  for (const std::string& value : messages) ASSERT_TRUE(Decode(GetParam(), value, &m, &error));
  EXPECT_EQ(g_allocations.load() - before, 0u);
}

INSTANTIATE_TEST_SUITE_P(Codec, DecoderAllocations,
                         ::testing::Values(Format::kJson, Format::kProtobuf),
                         [](const auto& param_info) {
                           return std::string(Name(param_info.param));
                         });

TEST(AllocationCounter, SeesAllocations) {
  const uint64_t before = g_allocations.load();
  auto* p = new std::vector<int>(100);
  delete p;
  EXPECT_GE(g_allocations.load() - before, 2u);
}

}  // namespace
}  // namespace iiot
