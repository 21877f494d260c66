#include "verify/seq_set.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

namespace iiot {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

TEST(SeqSet, EmptyHasNothing) {
  const SeqSet s;
  EXPECT_TRUE(s.Empty());
  EXPECT_EQ(s.Max(), 0u);
  EXPECT_EQ(s.Unique(), 0u);
  EXPECT_EQ(s.Missing(), 0u);
  EXPECT_EQ(s.RangeCount(), 0u);
  EXPECT_FALSE(s.Contains(1));
}

TEST(SeqSet, InOrderStaysOneRange) {
  SeqSet s;
  for (uint64_t q = 1; q <= 100'000; ++q) ASSERT_TRUE(s.Insert(q));
  EXPECT_EQ(s.RangeCount(), 1u);
  EXPECT_EQ(s.Unique(), 100'000u);
  EXPECT_EQ(s.Max(), 100'000u);
  EXPECT_EQ(s.Missing(), 0u);
}

TEST(SeqSet, SecondInsertOfASeqIsRefused) {
  SeqSet s;
  EXPECT_TRUE(s.Insert(1));
  EXPECT_TRUE(s.Insert(2));
  EXPECT_FALSE(s.Insert(2));
  EXPECT_FALSE(s.Insert(1));
  EXPECT_TRUE(s.Insert(9));
  EXPECT_FALSE(s.Insert(9));
  EXPECT_EQ(s.Unique(), 3u);
}

TEST(SeqSet, HolesAreMissingRanges) {
  SeqSet s;
  for (const uint64_t q : {3, 4, 5, 9, 12, 13}) ASSERT_TRUE(s.Insert(q));
  EXPECT_EQ(s.Max(), 13u);
  EXPECT_EQ(s.Unique(), 6u);
  EXPECT_EQ(s.Missing(), 7u);  // 1 2 6 7 8 10 11
  EXPECT_EQ(s.MissingRanges(10), (std::vector<SeqRange>{{1, 2}, {6, 8}, {10, 11}}));
  EXPECT_EQ(s.MissingRanges(2), (std::vector<SeqRange>{{1, 2}, {6, 8}}));
  EXPECT_EQ(s.RangeCount(), 3u);
}

TEST(SeqSet, FillingTheHolesGoesBackToOneRange) {
  SeqSet s;
  for (const uint64_t q : {1, 5, 3, 2, 4}) ASSERT_TRUE(s.Insert(q));
  EXPECT_EQ(s.RangeCount(), 1u);
  EXPECT_EQ(s.Missing(), 0u);
  EXPECT_TRUE(s.MissingRanges(5).empty());
}

TEST(SeqSet, ReverseOrderMergesDownward) {
  SeqSet s;
  for (uint64_t q = 1000; q >= 1; --q) ASSERT_TRUE(s.Insert(q));
  EXPECT_EQ(s.RangeCount(), 1u);
  EXPECT_EQ(s.Unique(), 1000u);
}

TEST(SeqSet, ContainsFindsEveryRange) {
  SeqSet s;
  for (const uint64_t q : {2, 3, 7, 20}) ASSERT_TRUE(s.Insert(q));
  for (uint64_t q = 0; q <= 21; ++q) {
    EXPECT_EQ(s.Contains(q), q == 2 || q == 3 || q == 7 || q == 20) << q;
  }
}

TEST(SeqSet, UniqueAboveCountsPastABound) {
  SeqSet s;
  for (const uint64_t q : {1, 2, 3, 8, 9, 15}) ASSERT_TRUE(s.Insert(q));
  EXPECT_EQ(s.UniqueAbove(0), 6u);
  EXPECT_EQ(s.UniqueAbove(2), 4u);
  EXPECT_EQ(s.UniqueAbove(8), 2u);
  EXPECT_EQ(s.UniqueAbove(15), 0u);
  EXPECT_EQ(s.UniqueAbove(kMax), 0u);
}

TEST(SeqSet, HugeSeqsCostOneRangeEach) {
  SeqSet s;
  EXPECT_TRUE(s.Insert(1));
  EXPECT_TRUE(s.Insert(uint64_t{1} << 63));
  EXPECT_TRUE(s.Insert(kMax));
  EXPECT_TRUE(s.Insert(kMax - 1));
  EXPECT_FALSE(s.Insert(kMax));
  EXPECT_EQ(s.RangeCount(), 3u);
  EXPECT_EQ(s.Max(), kMax);
  EXPECT_EQ(s.Unique(), 4u);
  EXPECT_EQ(s.Missing(), kMax - 4);
  EXPECT_EQ(s.MissingRanges(1), (std::vector<SeqRange>{{2, (uint64_t{1} << 63) - 1}}));
}

TEST(SeqSet, ZeroIsNotASeq) {
  SeqSet s;
  EXPECT_FALSE(s.Insert(0));
  EXPECT_TRUE(s.Empty());
}

TEST(SeqSet, ScatteredInsertsMatchAPlainSet) {
  // Every seq of 1..N in a fixed shuffled order, with a few inserted twice.
  SeqSet s;
  std::vector<bool> seen(2001, false);
  uint64_t q = 1;
  for (int i = 0; i < 4000; ++i) {
    q = (q * 1103 + 17) % 2000 + 1;
    EXPECT_EQ(s.Insert(q), !seen[q]) << q;
    seen[q] = true;
    uint64_t unique = 0, max = 0;
    for (uint64_t k = 1; k <= 2000; ++k) {
      if (seen[k]) {
        ++unique;
        max = k;
      }
    }
    ASSERT_EQ(s.Unique(), unique);
    ASSERT_EQ(s.Max(), max);
  }
}

}  // namespace
}  // namespace iiot
