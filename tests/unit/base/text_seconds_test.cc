// text::Seconds: the two ways a time is written in messages, as the sink, verify and the
// self-logged alerts wrote them before they shared one function.
#include <gtest/gtest.h>

#include <chrono>

#include "base/text.h"

namespace iiot::text {
namespace {

using std::chrono::milliseconds;

TEST(Seconds, ABoundIsWholeSecondsOrOneDecimal) {
  EXPECT_EQ(Seconds(milliseconds{10'000}), "10 s");
  EXPECT_EQ(Seconds(milliseconds{0}), "0 s");
  EXPECT_EQ(Seconds(milliseconds{2'500}), "2.5 s");
  EXPECT_EQ(Seconds(milliseconds{500}), "0.5 s");
  EXPECT_EQ(Seconds(milliseconds{300}), "0.3 s");
}

TEST(Seconds, AMeasuredTimeIsMillisecondsUnderASecondElseTwoDecimals) {
  const auto measured = SecondsStyle::kMeasured;
  EXPECT_EQ(Seconds(milliseconds{250}, measured), "250 ms");
  EXPECT_EQ(Seconds(std::chrono::duration<double>(0.0123), measured), "12 ms");
  EXPECT_EQ(Seconds(milliseconds{5'000}, measured), "5.00 s");
  EXPECT_EQ(Seconds(std::chrono::duration<double>(1.234), measured), "1.23 s");
}

}  // namespace
}  // namespace iiot::text
