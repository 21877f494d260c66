#include "sim/schedule.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
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

// The wheel against an ordered set, on the operations the workers make: reports taken in
// order and each replaced by its next one (an interval later, with jitter), devices added
// with dues behind the clock or far beyond the wheel, devices removed. Every pop must be
// the set's first, whatever the bucket width.
void ExpectSameOrderAsASet(uint64_t seed, Millis span, size_t reports, int64_t interval,
                           int64_t spread) {
  std::mt19937_64 rng(seed);
  DueQueue q;
  q.SetSpan(span, reports);
  std::set<std::pair<UnixMillis, uint64_t>> want;
  const UnixMillis start = 1'700'000'000'000;
  uint64_t next_device = 1;
  const auto push = [&](UnixMillis due) {
    const uint64_t device = next_device++;
    q.Push(DueEntry{due, device, static_cast<uint32_t>(device), 1});
    want.insert({due, device});
  };
  for (int i = 0; i < 3000; ++i)
    push(start + static_cast<int64_t>(rng() % static_cast<uint64_t>(interval)));
  for (int step = 0; step < 200'000; ++step) {
    ASSERT_EQ(q.size(), want.size());
    ASSERT_FALSE(q.empty());
    const DueEntry top = q.top();
    ASSERT_EQ(std::make_pair(top.due, top.device), *want.begin()) << "step " << step;
    const uint64_t roll = rng() % 1000;
    if (roll < 3) {  // a device added behind the clock, or far ahead of the wheel
      push(top.due - static_cast<int64_t>(rng() % 50));
      push(top.due + spread + static_cast<int64_t>(rng() % static_cast<uint64_t>(spread)));
    } else if (roll < 5 && want.size() > 1) {  // a device leaves
      q.Pop();
      want.erase(want.begin());
    } else {  // its next report: an interval later, ± half of it
      const int64_t jitter =
          static_cast<int64_t>(rng() % static_cast<uint64_t>(interval)) - interval / 2;
      const DueEntry next{top.due + interval + jitter, top.device, top.slot, top.k + 1};
      q.ReplaceTop(next);
      want.erase(want.begin());
      want.insert({next.due, next.device});
    }
  }
}

TEST(DueQueue, TakesReportsInTheOrderOfASetWhateverTheBucketWidth) {
  // Buckets of 1 ms (5 s intervals), of many ms (1 h), and a span far shorter than the
  // intervals (every report through the far heap).
  ExpectSameOrderAsASet(1, Millis{5000}, 3000, 5000, 100'000);
  ExpectSameOrderAsASet(2, Millis{3'600'000}, 3000, 3'600'000, 10'000'000);
  ExpectSameOrderAsASet(3, Millis{1}, 0, 60'000, 1'000'000);
  ExpectSameOrderAsASet(4, Millis{100}, 10, 7, 50);  // many reports per bucket, same slot again
  ExpectSameOrderAsASet(5, Millis{5000}, 1'000'000, 5000, 100'000);  // buckets of 1 ms
}

TEST(DueQueue, AFleetGrownManyTimesOverIsSpreadOverBucketsAgain) {
  DueQueue q;
  q.SetSpan(Millis{1000}, 10);  // 10 devices a second: buckets of 2 s
  const Millis small = q.bucket_width();
  std::set<std::pair<UnixMillis, uint64_t>> want;
  for (uint32_t d = 0; d < 10; ++d) {
    q.Push(DueEntry{1000 + d * 100, d, d, 1});
    want.insert({1000 + d * 100, d});
  }
  q.Reserve(100'000);  // grown by a reload
  EXPECT_LT(q.bucket_width(), small);
  for (uint32_t d = 10; d < 100'000; ++d) {
    const UnixMillis due = 1000 + (d * 7919) % 1000;
    q.Push(DueEntry{due, d, d, 1});
    want.insert({due, d});
  }
  for (const auto& [due, device] : want) {
    const DueEntry got = q.Pop();
    ASSERT_EQ(std::make_pair(got.due, got.device), std::make_pair(due, device));
  }
  EXPECT_TRUE(q.empty());
}

TEST(DueQueue, EmptiesAndStartsAgainAnywhere) {
  DueQueue q;
  q.SetSpan(Millis{1000});
  q.Push(DueEntry{5'000, 1, 0, 1});
  EXPECT_EQ(q.Pop().device, 1u);
  EXPECT_TRUE(q.empty());
  q.Push(DueEntry{100'000'000, 2, 0, 1});  // far from where it was
  q.Push(DueEntry{-3, 3, 1, 1});           // before 1970, behind everything
  EXPECT_EQ(q.Pop().device, 3u);
  EXPECT_EQ(q.Pop().device, 2u);
  EXPECT_TRUE(q.empty());
}

}  // namespace
}  // namespace iiot
