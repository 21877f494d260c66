#include "sim/soft_range.h"

#include <gtest/gtest.h>

#include <cmath>

namespace iiot {
namespace {

TEST(SoftRange, InsideTheKneesValuesPassUnchanged) {
  const SoftRange r{0, 10, 2};
  for (double x : {2.0, 5.0, 8.0}) EXPECT_EQ(r.Apply(x), x);
}

TEST(SoftRange, BeyondTheKneesValuesApproachButNeverReachTheBounds) {
  const SoftRange r{0, 10, 2};
  double previous = r.Apply(8.0);
  for (double x = 8.5; x < 60; x += 0.5) {
    const double y = r.Apply(x);
    EXPECT_LT(y, 10.0);
    EXPECT_GT(y, previous);  // still increasing: no pile-up at one value
    previous = y;
  }
  EXPECT_GT(r.Apply(-50), 0.0);
  EXPECT_NEAR(r.Apply(8.0 + 1e-6), 8.0, 1e-5);  // continuous at the knee
}

TEST(SoftRange, FitReachesTheTargetMomentsWhenTheRangeAllows) {
  // Pressure's case: 1013 ± 20 hPa below a band at 1040.
  const FittedRange fit = FitSoftRange(1013, 20, 952, 1038);
  EXPECT_NEAR(fit.output_mean, 1013, 1e-3);
  EXPECT_NEAR(fit.output_stddev, 20, 1e-3);
  EXPECT_GT(fit.input_stddev, 20);
  // A wide range changes nothing.
  const FittedRange wide = FitSoftRange(25, 5, -10, 60);
  EXPECT_NEAR(wide.input_mean, 25, 0.01);
  EXPECT_NEAR(wide.input_stddev, 5, 0.01);
}

TEST(SoftRange, ATooNarrowRangeGivesWhatItCan) {
  const FittedRange fit = FitSoftRange(50, 100, 0, 10);
  EXPECT_TRUE(std::isfinite(fit.input_mean));
  EXPECT_LT(fit.output_stddev, 100);
  EXPECT_GT(fit.output_mean, 0);
  EXPECT_LT(fit.output_mean, 10);
}

}  // namespace
}  // namespace iiot
