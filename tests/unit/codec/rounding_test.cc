#include "codec/rounding.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>

namespace iiot {
namespace {

// ToCents is std::llround(v * 100) without the library call: the same integer for every
// value the encoders can be given.
void ExpectSameAsLlround(double v) {
  ASSERT_TRUE(FitsCents(v)) << v;
  EXPECT_EQ(ToCents(v), std::llround(v * 100.0)) << std::hexfloat << v;
}

TEST(Rounding, ToCentsIsLlroundOnTies) {
  // x.5 cents, exactly representable, both signs, and their neighbours either side.
  for (int64_t k = -100'000; k <= 100'000; ++k) {
    const double tie = (static_cast<double>(k) + 0.5) / 100.0;
    ExpectSameAsLlround(tie);
    ExpectSameAsLlround(std::nextafter(tie, 1e300));
    ExpectSameAsLlround(std::nextafter(tie, -1e300));
  }
  for (const double v : {0.005, -0.005, 0.015, 2.675, -2.675, 0.0049999999999999, 0.125, -0.125,
                         0.0, -0.0, 1e-300, -1e-300, 0.49999999999999994 / 100}) {
    ExpectSameAsLlround(v);
  }
}

TEST(Rounding, ToCentsIsLlroundAcrossMagnitudes) {
  std::mt19937_64 rng(20261207);
  std::uniform_real_distribution<double> mantissa(-1.0, 1.0);
  std::uniform_int_distribution<int> exponent(-8, 15);
  for (int i = 0; i < 2'000'000; ++i) {
    const double v = mantissa(rng) * std::pow(10.0, exponent(rng));
    if (FitsCents(v)) ExpectSameAsLlround(v);
  }
  // The largest magnitudes carried as cents, where v * 100 is past 2^53 (whole numbers).
  for (const double v : {9.99999999999999e14, -9.99999999999999e14, 4503599627370495.5 / 100,
                         9007199254740993.0 / 100}) {
    ExpectSameAsLlround(v);
  }
}

TEST(Rounding, RoundToCentsGivesNoNegativeZero) {
  EXPECT_FALSE(std::signbit(RoundToCents(-0.004)));
  EXPECT_FALSE(std::signbit(RoundToCents(-0.0)));
  EXPECT_EQ(RoundToCents(-1.237), -1.24);
  EXPECT_EQ(RoundToCents(24.8749), 24.87);
}

}  // namespace
}  // namespace iiot
