// LogLimiter: a repeated line passes `burst` times per window, the rest is counted and
// reported with the next copy after the window, or by Drain; other lines are unaffected.
#include "base/log_limiter.h"

#include <gtest/gtest.h>

#include <string>

namespace iiot {
namespace {

using namespace std::chrono_literals;

TEST(LogLimiter, ARepeatedLinePassesItsBurstThenIsCountedAndReported) {
  LogLimiter limiter(3, 10s);
  const auto t0 = LogLimiter::Clock::time_point{} + 1h;
  int passed = 0;
  for (int i = 0; i < 1000; ++i) passed += limiter.Admit("disk full", t0 + i * 1ms).has_value();
  EXPECT_EQ(passed, 3);
  EXPECT_EQ(limiter.Admit("another", t0 + 2s), "another");  // its own count
  EXPECT_FALSE(limiter.Admit("disk full", t0 + 9s).has_value());
  EXPECT_EQ(limiter.Admit("disk full", t0 + 11s), "disk full (... 998 more in the last 10 s)");
  EXPECT_EQ(limiter.Admit("disk full", t0 + 11s + 1ms), "disk full");
  EXPECT_EQ(limiter.Admit("disk full", t0 + 11s + 2ms), "disk full");
  EXPECT_FALSE(limiter.Admit("disk full", t0 + 11s + 3ms).has_value());
  const auto notes = limiter.Drain();
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0], "disk full (... 1 more in the last 10 s)");
  EXPECT_TRUE(limiter.Drain().empty());
}

TEST(LogLimiter, ManyDistinctLinesStayBounded) {
  LogLimiter limiter(1, 10s);
  for (int i = 0; i < 100'000; ++i) {
    EXPECT_TRUE(limiter.Admit("line " + std::to_string(i)).has_value());
  }
}

}  // namespace
}  // namespace iiot
