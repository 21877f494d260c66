#include "base/iso_time.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

namespace iiot {
namespace {

std::string Format(UnixMillis ts) {
  char text[kIsoMillisLength];
  FormatIsoMillis(ts, text);
  return {text, kIsoMillisLength};
}

TEST(Timestamp, CivilDaysOfKnownDates) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11'017);
  EXPECT_EQ(DaysFromCivil(0, 1, 1), -719'528);
  const CivilDate d = CivilFromDays(DaysFromCivil(2100, 2, 28) + 1);
  EXPECT_EQ(d.year, 2100);
  EXPECT_EQ(d.month, 3u);
  EXPECT_EQ(d.day, 1u);
}

TEST(Timestamp, DaysRoundTripOverTenThousandYears) {
  for (int64_t days = DaysFromCivil(0, 1, 1); days <= DaysFromCivil(9999, 12, 31); days += 13) {
    const CivilDate d = CivilFromDays(days);
    ASSERT_EQ(DaysFromCivil(d.year, d.month, d.day), days);
  }
}

TEST(Timestamp, ParseInvertsFormat) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<UnixMillis> any(kMinIsoMillis, kMaxIsoMillis);
  for (int i = 0; i < 100'000; ++i) {
    const UnixMillis ts = any(rng);
    UnixMillis back = 0;
    ASSERT_TRUE(ParseIsoMillis(Format(ts), &back)) << Format(ts);
    ASSERT_EQ(back, ts) << Format(ts);
  }
  UnixMillis back = 0;
  ASSERT_TRUE(ParseIsoMillis(Format(kMinIsoMillis), &back));
  EXPECT_EQ(back, kMinIsoMillis);
  ASSERT_TRUE(ParseIsoMillis(Format(kMaxIsoMillis), &back));
  EXPECT_EQ(back, kMaxIsoMillis);
}

TEST(Timestamp, ParseRejectsWhatFormatNeverWrites) {
  UnixMillis ts = 42;
  for (const char* bad :
       {"", "2026-11-21T10:00:00.123", "2026-11-21T10:00:00.123Z ", "2026-11-21 10:00:00.123Z",
        "2026-11-21T10:00:00Z", "2026-11-21T10:00:00.12Z", "2026-13-01T00:00:00.000Z",
        "2026-00-01T00:00:00.000Z", "2026-04-31T00:00:00.000Z", "2023-02-29T00:00:00.000Z",
        "2100-02-29T00:00:00.000Z", "2026-11-21T24:00:00.000Z", "2026-11-21T10:60:00.000Z",
        "2026-11-21T10:00:60.000Z", "2026-11-2xT10:00:00.000Z", "+026-11-21T10:00:00.000Z",
        "2026-11-21T10:00:00.-12Z"}) {
    EXPECT_FALSE(ParseIsoMillis(bad, &ts)) << bad;
  }
  EXPECT_EQ(ts, 42);
  EXPECT_TRUE(ParseIsoMillis("2000-02-29T00:00:00.000Z", &ts));
  EXPECT_EQ(ts, 951'782'400'000);
}

}  // namespace
}  // namespace iiot
