#include "sim/rng.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>

namespace iiot {
namespace {

TEST(Rng, SameSeedAndStreamGiveTheSameSequence) {
  Rng a(7, 42), b(7, 42);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.Next(), b.Next());
}

TEST(Rng, StreamsDiffer) {
  Rng a(7, 42), b(7, 43), c(8, 42), swapped(42, 7);
  const uint64_t x = a.Next();
  EXPECT_NE(x, b.Next());
  EXPECT_NE(x, c.Next());
  EXPECT_NE(x, swapped.Next());
}

TEST(Rng, ZeroSeedIsNotADegenerateState) {
  Rng r(0, 0);
  int zeros = 0;
  for (int i = 0; i < 100; ++i) zeros += r.Next() == 0;
  EXPECT_EQ(zeros, 0);
}

TEST(Rng, UniformIsInTheHalfOpenUnitInterval) {
  Rng r(1, 1);
  double sum = 0;
  for (int i = 0; i < 1'000'000; ++i) {
    const double u = r.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / 1e6, 0.5, 0.002);  // 7σ
}

TEST(Rng, BelowIsUniformOverItsRange) {
  Rng r(3, 9);
  std::array<int, 10> counts{};
  for (int i = 0; i < 1'000'000; ++i) {
    const uint32_t x = r.Below(10);
    ASSERT_LT(x, 10u);
    ++counts[x];
  }
  for (int c : counts) EXPECT_NEAR(c, 100'000, 5 * 300);  // 5σ of Binomial(1e6, 0.1)
}

TEST(Rng, BelowALargeBoundHasNoModuloBias) {
  // n = 3·2^30: a plain "% n" of 32 random bits would put half again as many draws in
  // the lower third as in the others.
  Rng r(5, 5);
  constexpr uint32_t kN = 3u << 30;
  std::array<int, 3> thirds{};
  for (int i = 0; i < 300'000; ++i) ++thirds[r.Below(kN) / (1u << 30)];
  for (int c : thirds) EXPECT_NEAR(c, 100'000, 5 * 258);
}

TEST(Rng, BelowZeroOrOneIsZero) {
  Rng r(1, 2);
  EXPECT_EQ(r.Below(0), 0u);
  EXPECT_EQ(r.Below(1), 0u);
}

TEST(Rng, NormalHasUnitMomentsAndNormalTails) {
  Rng r(11, 3);
  constexpr int kN = 1'000'000;
  double sum = 0, sum2 = 0;
  int beyond2 = 0;
  for (int i = 0; i < kN; ++i) {
    const double z = r.Normal();
    sum += z;
    sum2 += z * z;
    beyond2 += std::abs(z) > 2.0;
  }
  EXPECT_NEAR(sum / kN, 0.0, 0.005);
  EXPECT_NEAR(std::sqrt(sum2 / kN), 1.0, 0.005);
  EXPECT_NEAR(beyond2 / static_cast<double>(kN), 0.0455, 0.001);  // P(|Z| > 2)
}

}  // namespace
}  // namespace iiot
