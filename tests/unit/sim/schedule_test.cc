#include "sim/schedule.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace iiot {
namespace {

TEST(Schedule, PhasesSpreadEvenlyOverTheInterval) {
  // 10,000 devices at 5 s: every 100 ms bucket of the first interval gets ~200 first reports.
  constexpr int kDevices = 10'000, kBuckets = 50;
  std::vector<int> buckets(kBuckets, 0);
  for (uint64_t d = 1; d <= kDevices; ++d) {
    const UnixMillis phase = PhaseOffset(d, Millis{5000});
    ASSERT_GE(phase, 0);
    ASSERT_LT(phase, 5000);
    ++buckets[static_cast<size_t>(phase / 100)];
  }
  for (int b = 0; b < kBuckets; ++b) {
    EXPECT_GE(buckets[static_cast<size_t>(b)], 195) << "bucket " << b;
    EXPECT_LE(buckets[static_cast<size_t>(b)], 205) << "bucket " << b;
  }
}

TEST(Schedule, PhasesOfAFewDevicesAreAlreadySpread) {
  // Even 10 consecutive devices leave no gap wider than a fifth of the interval.
  std::vector<UnixMillis> phases;
  for (uint64_t d = 1; d <= 10; ++d) phases.push_back(PhaseOffset(d, Millis{10'000}));
  std::sort(phases.begin(), phases.end());
  phases.push_back(phases.front() + 10'000);
  for (size_t i = 1; i < phases.size(); ++i) EXPECT_LE(phases[i] - phases[i - 1], 2000);
}

TEST(Schedule, DueTimesAreExactWithoutJitter) {
  const UnixMillis start = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
  for (uint64_t d : {1ull, 42ull, 999'999ull}) {
    const UnixMillis phase = PhaseOffset(d, Millis{3000});
    for (uint64_t k = 1; k <= 1000; ++k) {
      ASSERT_EQ(DueTime(start, 7, d, k, Millis{3000}, 0.0),
                start + phase + static_cast<UnixMillis>(k - 1) * 3000);
    }
  }
}

TEST(Schedule, JitterStaysWithinBoundsAndIsDeterministic) {
  const Millis interval{5000};
  bool saw_nonzero = false;
  for (uint64_t k = 1; k <= 10'000; ++k) {
    const UnixMillis j = JitterOffset(7, 42, k, 0.2, interval);
    ASSERT_GE(j, -1000);
    ASSERT_LE(j, 1000);
    ASSERT_EQ(j, JitterOffset(7, 42, k, 0.2, interval));
    saw_nonzero |= j != 0;
  }
  EXPECT_TRUE(saw_nonzero);
  EXPECT_EQ(JitterOffset(7, 42, 3, 0.0, interval), 0);
}

TEST(Schedule, DueTimesNeverDecreaseAndNeverPrecedeStart) {
  const UnixMillis start = 1'000'000;
  UnixMillis prev = start;
  for (uint64_t k = 1; k <= 10'000; ++k) {
    const UnixMillis t = DueTime(start, 3, 17, k, Millis{1000}, 0.5);
    ASSERT_GE(t, prev);
    prev = t;
  }
}

TEST(DueQueue, PopsInTimeThenDeviceOrder) {
  std::mt19937_64 rng(1);
  DueQueue q;
  std::vector<DueEntry> all;
  for (uint32_t i = 0; i < 5000; ++i) {
    DueEntry e{static_cast<UnixMillis>(rng() % 100), rng() % 1000 + 1, i, 1};
    all.push_back(e);
    q.Push(e);
  }
  std::sort(all.begin(), all.end());
  for (const DueEntry& want : all) {
    const DueEntry got = q.Pop();
    ASSERT_EQ(got.due, want.due);
    ASSERT_EQ(got.device, want.device);
  }
  EXPECT_TRUE(q.empty());
}

}  // namespace
}  // namespace iiot
