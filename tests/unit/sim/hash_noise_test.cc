#include "sim/hash_noise.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "sim/rng.h"
#include "sim_test_fixtures.h"

namespace iiot {
namespace {

using testing::RunningMoments;

TEST(HashNoise, HashNormalIsAStandardNormal) {
  RunningMoments m;
  uint64_t beyond_two = 0;
  for (uint64_t i = 0; i < 200'000; ++i) {
    const double z = HashNormal(Mix64(i));
    m.Add(z);
    beyond_two += std::fabs(z) > 2;
  }
  EXPECT_NEAR(m.mean(), 0, 0.01);
  EXPECT_NEAR(m.stddev(), 1, 0.01);
  EXPECT_NEAR(static_cast<double>(beyond_two) / 200'000, 0.0455, 0.002);
}

TEST(HashNoise, SmoothNoiseHasAStandardNormalMarginalAtEveryPhase) {
  // Across many keys, at fixed fractions of the knot interval: mean 0, σ 1 everywhere.
  constexpr int64_t kKnot = 3'600'000;
  for (int64_t offset : {int64_t{0}, kKnot / 4, kKnot / 2, 3 * kKnot / 4}) {
    RunningMoments m;
    for (uint64_t key = 0; key < 50'000; ++key) {
      m.Add(SmoothNoise(Mix64(key), testing::kStart + offset, kKnot));
    }
    EXPECT_NEAR(m.mean(), 0, 0.015) << offset;
    EXPECT_NEAR(m.stddev(), 1, 0.015) << offset;
  }
}

TEST(HashNoise, SmoothNoiseIsContinuousAndForgetsAfterAFewKnots) {
  constexpr int64_t kKnot = 3'600'000;
  double worst_step = 0;
  RunningMoments one_knot, three_knots;
  for (uint64_t key = 0; key < 2'000; ++key) {
    const uint64_t k = Mix64(key);
    for (UnixMillis t = testing::kStart; t < testing::kStart + 2 * kKnot; t += 10'000) {
      worst_step = std::max(
          worst_step, std::fabs(SmoothNoise(k, t + 10'000, kKnot) - SmoothNoise(k, t, kKnot)));
    }
    const double a = SmoothNoise(k, testing::kStart + 1234, kKnot);
    one_knot.Add(a * SmoothNoise(k, testing::kStart + 1234 + kKnot, kKnot));
    three_knots.Add(a * SmoothNoise(k, testing::kStart + 1234 + 3 * kKnot, kKnot));
  }
  EXPECT_LT(worst_step, 0.05);  // 10 s of a 1 h knot: a small step, never a jump
  EXPECT_GT(one_knot.mean(), 0.3);
  EXPECT_LT(one_knot.mean(), 0.8);
  EXPECT_NEAR(three_knots.mean(), 0, 0.05);
}

TEST(HashNoise, SmoothNoiseWorksBeforeTheEpoch) {
  const double before = SmoothNoise(7, -1, 60'000), after = SmoothNoise(7, 0, 60'000);
  EXPECT_NEAR(before, after, 0.01);
}

TEST(HashNoise, BalancedNormalSpreadsEvenlyOverAFewMembers) {
  // The mean over 5 or 300 consecutive members stays nearer 0 than independent draws'
  // (E|mean| = 0.36 and 0.046) for any key and stream; each still has σ 1.
  for (int stream = 0; stream < 12; ++stream) {
    RunningMoments five_error, many_error;
    for (uint64_t key = 0; key < 300; ++key) {
      RunningMoments five, many;
      for (uint64_t i = 0; i < 300; ++i) {
        const double z = BalancedNormal(i + 17 * key, ToUnit(Mix64(key)), stream);
        if (i < 5) five.Add(z);
        many.Add(z);
      }
      five_error.Add(std::fabs(five.mean()));
      many_error.Add(std::fabs(many.mean()));
      EXPECT_NEAR(many.stddev(), 1, 0.08) << key << " " << stream;
    }
    EXPECT_LT(five_error.mean(), 0.3) << stream;
    EXPECT_LT(many_error.mean(), 0.015) << stream;
  }
}

}  // namespace
}  // namespace iiot
