#include "verify/seq_tracker.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace iiot {
namespace {

using Ranges = std::vector<SeqRange>;

// Adds seqs for one device on one partition, keys matching.
void AddAll(SeqTracker& t, const std::string& id, std::initializer_list<uint64_t> seqs,
            int32_t partition = 0) {
  for (const uint64_t q : seqs) t.Add(id, q, partition, true);
}

DeviceStats Device(const SeqTracker& t, const std::string& id,
                   std::optional<uint64_t> expect = std::nullopt) {
  const auto d = t.Find(id, expect, 10);
  EXPECT_TRUE(d.has_value()) << id;
  return d.value_or(DeviceStats{});
}

TEST(SeqTracker, ContiguousDevicesAreClean) {
  SeqTracker t;
  for (uint64_t q = 1; q <= 100; ++q) {
    t.Add("a", q, 0, true);
    t.Add("b", q, 1, true);
  }
  const TrackerSummary s = t.Summarize(100, 10, 5);
  EXPECT_EQ(s.totals.messages, 200u);
  EXPECT_EQ(s.totals.devices, 2u);
  EXPECT_EQ(s.totals.gaps, 0u);
  EXPECT_EQ(s.totals.duplicates, 0u);
  EXPECT_EQ(s.totals.out_of_order, 0u);
  EXPECT_EQ(s.totals.multi_partition_devices, 0u);
  EXPECT_EQ(s.totals.key_mismatches, 0u);
  EXPECT_EQ(s.totals.devices_with_problems, 0u);
  EXPECT_EQ(s.totals.devices_not_matching, 0u);
  EXPECT_TRUE(s.worst.empty());
  EXPECT_EQ(Device(t, "a").max_seq, 100u);
}

TEST(SeqTracker, GapsCountMissingSeqsAndListRanges) {
  SeqTracker t;
  AddAll(t, "a", {1, 2, 5, 6, 9});
  const DeviceStats d = Device(t, "a");
  EXPECT_EQ(d.gaps, 4u);  // 3 4 7 8
  EXPECT_EQ(d.missing, (Ranges{{3, 4}, {7, 8}}));
  EXPECT_EQ(d.out_of_order, 0u);
  EXPECT_EQ(d.duplicates, 0u);
  EXPECT_EQ(t.Summarize(std::nullopt, 10, 5).totals.gaps, 4u);
}

TEST(SeqTracker, FirstSeqAboveOneIsAGap) {
  SeqTracker t;
  AddAll(t, "late", {4, 5, 6});
  const DeviceStats d = Device(t, "late");
  EXPECT_EQ(d.gaps, 3u);
  EXPECT_EQ(d.missing, (Ranges{{1, 3}}));
}

TEST(SeqTracker, DuplicatesCountEachRepeat) {
  SeqTracker t;
  AddAll(t, "a", {1, 2, 2, 3, 3, 3});
  const DeviceStats d = Device(t, "a");
  EXPECT_EQ(d.messages, 6u);
  EXPECT_EQ(d.unique, 3u);
  EXPECT_EQ(d.duplicates, 3u);
  EXPECT_EQ(d.gaps, 0u);
  EXPECT_EQ(d.out_of_order, 0u);
}

TEST(SeqTracker, SwappedPairIsOneOutOfOrder) {
  SeqTracker t;
  AddAll(t, "a", {1, 2, 4, 3, 5});
  const DeviceStats d = Device(t, "a");
  EXPECT_EQ(d.out_of_order, 1u);
  EXPECT_EQ(d.gaps, 0u);
  EXPECT_EQ(d.duplicates, 0u);
}

TEST(SeqTracker, ALateReplayIsDuplicatesNotOutOfOrder) {
  SeqTracker t;
  AddAll(t, "a", {1, 2, 3, 1, 2, 3, 4});
  const DeviceStats d = Device(t, "a");
  EXPECT_EQ(d.duplicates, 3u);
  EXPECT_EQ(d.out_of_order, 0u);
}

TEST(SeqTracker, OutOfOrderIsJudgedPerPartition) {
  SeqTracker t;
  // In offset order per partition: p0 has 1 2 5 6, p1 has 3 4. Interleaved reading of the
  // two partitions must not make 3 look late.
  t.Add("a", 1, 0, true);
  t.Add("a", 2, 0, true);
  t.Add("a", 5, 0, true);
  t.Add("a", 3, 1, true);
  t.Add("a", 6, 0, true);
  t.Add("a", 4, 1, true);
  const DeviceStats d = Device(t, "a");
  EXPECT_EQ(d.out_of_order, 0u);
  EXPECT_EQ(d.gaps, 0u);
  EXPECT_EQ(d.partitions, (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(t.Summarize(std::nullopt, 10, 5).totals.multi_partition_devices, 1u);
}

TEST(SeqTracker, KeyMismatchesCountPerDevice) {
  SeqTracker t;
  t.Add("a", 1, 0, true);
  t.Add("a", 2, 0, false);
  t.Add("a", 3, 0, false);
  EXPECT_EQ(Device(t, "a").key_mismatches, 2u);
  EXPECT_EQ(t.Summarize(std::nullopt, 10, 5).totals.key_mismatches, 2u);
}

TEST(SeqTracker, HugeSeqNumbersNeedNoMemoryPerValue) {
  SeqTracker t;
  const uint64_t big = uint64_t{1} << 62;
  AddAll(t, "a", {1, big, std::numeric_limits<uint64_t>::max()});
  const DeviceStats d = Device(t, "a");
  EXPECT_EQ(d.max_seq, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(d.gaps, std::numeric_limits<uint64_t>::max() - 3);
  EXPECT_EQ(d.missing, (Ranges{{2, big - 1}, {big + 1, std::numeric_limits<uint64_t>::max() - 1}}));
  AddAll(t, "b", {std::numeric_limits<uint64_t>::max()});
  // The total saturates instead of wrapping.
  EXPECT_EQ(t.Summarize(std::nullopt, 10, 5).totals.gaps, std::numeric_limits<uint64_t>::max());
}

TEST(SeqTracker, ExpectedCountFindsTailsAndExcess) {
  SeqTracker t;
  AddAll(t, "ok", {1, 2, 3, 4});
  AddAll(t, "short", {1, 2});
  AddAll(t, "long", {1, 2, 3, 4, 5, 6});
  AddAll(t, "dup", {1, 2, 3, 4, 4});
  const TrackerSummary s = t.Summarize(4, 10, 5);
  EXPECT_EQ(s.totals.devices_not_matching, 3u);
  EXPECT_EQ(s.totals.devices_with_problems, 3u);
  EXPECT_TRUE(Device(t, "ok", 4).matches_expected);
  const DeviceStats shortd = Device(t, "short", 4);
  EXPECT_FALSE(shortd.matches_expected);
  EXPECT_EQ(shortd.missing_tail, 2u);
  EXPECT_EQ(shortd.gaps, 0u);
  const DeviceStats longd = Device(t, "long", 4);
  EXPECT_FALSE(longd.matches_expected);
  EXPECT_EQ(longd.beyond_expected, 2u);
  EXPECT_FALSE(Device(t, "dup", 4).matches_expected);
}

TEST(SeqTracker, WorstDevicesComeFirstAndAreBounded) {
  SeqTracker t;
  AddAll(t, "clean", {1, 2, 3});
  AddAll(t, "one-gap", {1, 3});
  AddAll(t, "three-gaps", {1, 5});
  AddAll(t, "two-dups", {1, 1, 1});
  AddAll(t, "also-one", {2});
  const TrackerSummary s = t.Summarize(std::nullopt, 3, 5);
  EXPECT_EQ(s.totals.devices_with_problems, 4u);
  ASSERT_EQ(s.worst.size(), 3u);
  EXPECT_EQ(s.worst[0].device_id, "three-gaps");
  EXPECT_EQ(s.worst[1].device_id, "two-dups");
  EXPECT_EQ(s.worst[2].device_id, "also-one");  // ties by device id
  EXPECT_EQ(s.worst[0].missing, (Ranges{{2, 4}}));
}

TEST(SeqTracker, UnknownDeviceIsNotFound) {
  SeqTracker t;
  AddAll(t, "a", {1});
  EXPECT_FALSE(t.Find("b", std::nullopt, 5).has_value());
}

TEST(SeqTracker, ManyDevicesAreKeptApart) {
  SeqTracker t;
  constexpr uint64_t kDevices = 200'000;
  for (uint64_t q = 1; q <= 3; ++q) {
    for (uint64_t d = 0; d < kDevices; ++d) {
      if (d == 777 && q == 2) continue;  // one message lost
      t.Add("plant1-b01-f01-r001-d" + std::to_string(d), q, static_cast<int32_t>(d % 12), true);
    }
  }
  EXPECT_EQ(t.devices(), kDevices);
  const TrackerSummary s = t.Summarize(3, 10, 5);
  EXPECT_EQ(s.totals.messages, 3 * kDevices - 1);
  EXPECT_EQ(s.totals.gaps, 1u);
  EXPECT_EQ(s.totals.devices_with_problems, 1u);
  EXPECT_EQ(s.totals.devices_not_matching, 1u);
  ASSERT_EQ(s.worst.size(), 1u);
  EXPECT_EQ(s.worst[0].device_id, "plant1-b01-f01-r001-d777");
  EXPECT_EQ(s.worst[0].missing, (Ranges{{2, 2}}));
  EXPECT_EQ(Device(t, "plant1-b01-f01-r001-d199999").messages, 3u);
}

}  // namespace
}  // namespace iiot
