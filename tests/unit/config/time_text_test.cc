// Durations and timestamps as config text: ParseDuration / ParseTimestamp and the
// Format* functions that write them back.
#include <gtest/gtest.h>

#include "config/config_loader.h"

namespace iiot {
namespace {

constexpr UnixMillis kJan1 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

TEST(ParseDuration, AcceptsEveryUnitAndBareSeconds) {
  EXPECT_EQ(*ParseDuration("250ms"), Millis{250});
  EXPECT_EQ(*ParseDuration("5s"), Millis{5000});
  EXPECT_EQ(*ParseDuration("2m"), Millis{120'000});
  EXPECT_EQ(*ParseDuration("1h"), Millis{3'600'000});
  EXPECT_EQ(*ParseDuration("1d"), Millis{86'400'000});
  EXPECT_EQ(*ParseDuration("5"), Millis{5000});
  EXPECT_EQ(*ParseDuration("1.5"), Millis{1500});
  EXPECT_EQ(*ParseDuration("0.25s"), Millis{250});
  EXPECT_EQ(*ParseDuration(" 10s "), Millis{10'000});
  EXPECT_EQ(*ParseDuration("0"), Millis{0});
}

TEST(ParseDuration, RejectsAnythingElse) {
  for (const char* bad : {"", "s", "5x", "-5s", "5 s", "1.5ms", "0.0001", "5S", "1e3", "5s5",
                          "99999999999999999999d", "36501d", "nan", "1..5s"}) {
    const Result<Millis> d = ParseDuration(bad);
    ASSERT_FALSE(d) << bad;
    EXPECT_NE(d.error().message.find("is not a duration"), std::string::npos) << bad;
  }
}

TEST(ParseTimestamp, AcceptsIsoUtcDatesAndNow) {
  EXPECT_EQ(*ParseTimestamp("2026-01-01T00:00:00Z"), kJan1);
  EXPECT_EQ(*ParseTimestamp("2026-01-01"), kJan1);
  EXPECT_EQ(*ParseTimestamp("2026-01-01T00:00:00.250Z"), kJan1 + 250);
  EXPECT_EQ(*ParseTimestamp("2026-01-01T00:00:00.5Z"), kJan1 + 500);
  EXPECT_EQ(*ParseTimestamp("2026-01-01T10:20:30+00:00"), kJan1 + 37'230'000);
  EXPECT_EQ(*ParseTimestamp("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*ParseTimestamp("2024-02-29"), 1'709'164'800'000);
  EXPECT_EQ(*ParseTimestamp("now"), std::nullopt);
}

TEST(ParseTimestamp, RejectsAnythingElse) {
  for (const char* bad :
       {"", "2026", "2026-13-01", "2026-02-30", "2025-02-29", "2026-01-01T", "2026-01-01T24:00:00Z",
        "2026-01-01T00:60:00Z", "2026-01-01T00:00:00", "2026-01-01T00:00:00+02:00",
        "2026-01-01T00:00:00.Z", "1969-12-31", "yesterday", "2026-1-1", "2026-01-01Z"}) {
    const Result<std::optional<UnixMillis>> t = ParseTimestamp(bad);
    ASSERT_FALSE(t) << bad;
    EXPECT_NE(t.error().message.find("is not a timestamp"), std::string::npos) << bad;
  }
}

TEST(FormatDuration, UsesTheLargestExactUnitAndReadsBack) {
  EXPECT_EQ(FormatDuration(Millis{250}), "250ms");
  EXPECT_EQ(FormatDuration(Millis{5000}), "5s");
  EXPECT_EQ(FormatDuration(Millis{90'000}), "90s");
  EXPECT_EQ(FormatDuration(Millis{3'600'000}), "1h");
  EXPECT_EQ(FormatDuration(Millis{0}), "0s");
  for (int64_t ms : {1LL, 999LL, 1001LL, 60'000LL, 86'400'001LL}) {
    EXPECT_EQ(*ParseDuration(FormatDuration(Millis{ms})), Millis{ms});
  }
}

TEST(FormatTimestamp, IsIsoUtcAndReadsBack) {
  EXPECT_EQ(FormatTimestamp(kJan1), "2026-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(kJan1 + 250), "2026-01-01T00:00:00.250Z");
  for (UnixMillis t :
       {UnixMillis{0}, kJan1 + 1, kJan1 + 86'399'999, UnixMillis{253'402'300'799'999}}) {
    EXPECT_EQ(*ParseTimestamp(FormatTimestamp(t)), t);
  }
}

}  // namespace
}  // namespace iiot
