#include "obs/quantile.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace iiot {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// 10 observations in (0,1], 20 in (1,2], 10 in (2,4], none above.
HistogramCounts Sample() { return {{1, 2, 4, kInf}, {10, 30, 40, 40}, 70}; }

TEST(Quantile, InterpolatesLinearlyInsideTheBucketHoldingTheRank) {
  EXPECT_DOUBLE_EQ(Quantile(Sample(), {}, 0.5), 1.5);   // rank 20: half-way through (1,2]
  EXPECT_DOUBLE_EQ(Quantile(Sample(), {}, 0.75), 2.0);  // rank 30: the end of (1,2]
  EXPECT_DOUBLE_EQ(Quantile(Sample(), {}, 0.875), 3.0);
  EXPECT_DOUBLE_EQ(Quantile(Sample(), {}, 1.0), 4.0);
}

TEST(Quantile, TheFirstBucketStartsAtZero) {
  EXPECT_DOUBLE_EQ(Quantile(Sample(), {}, 0.1), 0.4);  // rank 4 of the 10 in (0,1]
  EXPECT_DOUBLE_EQ(Quantile(Sample(), {}, 0.0), 0.0);
}

TEST(Quantile, ARankInTheInfBucketGivesTheLastFiniteBound) {
  const HistogramCounts h{{1, 2, 4, kInf}, {10, 30, 40, 50}, 0};
  EXPECT_DOUBLE_EQ(Quantile(h, {}, 0.99), 4.0);
  EXPECT_DOUBLE_EQ(Quantile(h, {}, 0.8), 4.0);  // rank 40: still the end of (2,4]
}

TEST(Quantile, OnlyCountsObservationsBetweenTheSnapshots) {
  const HistogramCounts before{{1, 2, 4, kInf}, {10, 10, 20, 20}, 0};
  // Since `before`: 20 observations, all in (1,2].
  EXPECT_DOUBLE_EQ(Quantile(Sample(), before, 0.5), 1.5);
  EXPECT_DOUBLE_EQ(Quantile(Sample(), before, 0.25), 1.25);
  // With no new observations there is no quantile.
  EXPECT_TRUE(std::isnan(Quantile(Sample(), Sample(), 0.5)));
}

TEST(Quantile, AUniformDistributionComesBackExactlyAtBucketBounds) {
  // 1000 observations spread evenly over (0, 10]: 100 per unit.
  HistogramCounts h{{1, 2, 5, 10, kInf}, {100, 200, 500, 1000, 1000}, 5000};
  EXPECT_DOUBLE_EQ(Quantile(h, {}, 0.5), 5.0);
  EXPECT_DOUBLE_EQ(Quantile(h, {}, 0.95), 9.5);
  EXPECT_DOUBLE_EQ(Quantile(h, {}, 0.35), 3.5);
}

TEST(Quantile, OutOfRangeAndMismatchedInputs) {
  EXPECT_EQ(Quantile(Sample(), {}, -0.1), -kInf);
  EXPECT_EQ(Quantile(Sample(), {}, 1.1), kInf);
  EXPECT_TRUE(std::isnan(Quantile(Sample(), {}, std::nan(""))));
  EXPECT_TRUE(std::isnan(Quantile({}, {}, 0.5)));
  EXPECT_TRUE(std::isnan(Quantile({{1, kInf}, {0, 0}, 0}, {}, 0.5)));  // nothing observed
  EXPECT_TRUE(std::isnan(Quantile({{1, 2}, {1, 2}, 0}, {}, 0.5)));     // no +Inf bucket
  EXPECT_TRUE(std::isnan(Quantile(Sample(), {{1, kInf}, {0, 0}, 0}, 0.5)));
}

TEST(Quantile, ANonPositiveFirstBoundIsReturnedAsIs) {
  const HistogramCounts h{{-1, 0, 1, kInf}, {5, 5, 10, 10}, 0};
  EXPECT_DOUBLE_EQ(Quantile(h, {}, 0.2), -1.0);
}

}  // namespace
}  // namespace iiot
