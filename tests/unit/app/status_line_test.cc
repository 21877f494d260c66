// The status line: what the run delivers, and how far behind its configured rate it is.
#include <gtest/gtest.h>

#include <string>

#include "app/summary.h"

namespace iiot {
namespace {

TEST(StatusLine, SaysHowFarBehindTheConfiguredRateTheRunIs) {
  RunSnapshot prev, now;
  now.elapsed_s = 1;
  now.delivered = 1'200'000;
  const std::string behind = StatusLine(now, prev, 2'200'000, 0.4545);
  EXPECT_NE(behind.find("1,200,000 msg/s"), std::string::npos) << behind;
  EXPECT_TRUE(behind.ends_with(" | 45 % behind 2,200,000 msg/s")) << behind;
  // Within 5 %, or without a target, nothing is said.
  EXPECT_EQ(StatusLine(now, prev, 2'200'000, 0.04).find("behind"), std::string::npos);
  EXPECT_EQ(StatusLine(now, prev, 0, 0.9).find("behind"), std::string::npos);
}

}  // namespace
}  // namespace iiot
