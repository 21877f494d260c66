#include "sim/fleet.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <tuple>

#include "../allocation_counter.h"  // counts heap allocations (g_allocations)

namespace iiot {
namespace {

Config FleetOf(uint64_t devices) {
  Config cfg;
  cfg.fleet.devices = devices;
  cfg.fleet.profiles = DefaultProfiles();
  return cfg;
}

TEST(Fleet, IdsOfTheDefaultFleet) {
  const Fleet fleet(FleetOf(10'000));  // 5 buildings × 4 floors × 20 rooms: 25 per room
  EXPECT_EQ(fleet.Id(1), "plant1-b01-f01-r001-d00001");
  EXPECT_EQ(fleet.Id(42), "plant1-b01-f01-r002-d00042");
  EXPECT_EQ(fleet.Id(501), "plant1-b01-f02-r001-d00501");
  EXPECT_EQ(fleet.Id(10'000), "plant1-b05-f04-r020-d10000");
}

TEST(Fleet, IdsOfAMillionDevicesWidenTheDeviceNumber) {
  const Fleet fleet(FleetOf(1'000'000));  // 2,500 per room
  EXPECT_EQ(fleet.Id(1), "plant1-b01-f01-r001-d0000001");
  EXPECT_EQ(fleet.Id(2'501), "plant1-b01-f01-r002-d0002501");
  EXPECT_EQ(fleet.Id(1'000'000), "plant1-b05-f04-r020-d1000000");
}

TEST(Fleet, IdsOfASmallFleetKeepTheMinimumWidths) {
  Config cfg = FleetOf(3);
  cfg.fleet.site = "x";
  cfg.fleet.buildings = cfg.fleet.floors = cfg.fleet.rooms = 1;
  const Fleet fleet(cfg);
  EXPECT_EQ(fleet.Id(3), "x-b01-f01-r001-d00003");
}

TEST(Fleet, WidthsGrowWithTheSite) {
  Config cfg = FleetOf(200'000);
  cfg.fleet.buildings = 120;
  cfg.fleet.floors = 150;
  cfg.fleet.rooms = 1500;
  const Fleet fleet(cfg);  // 27,000,000 rooms: one device per room
  EXPECT_EQ(fleet.Id(1), "plant1-b001-f001-r0001-d000001");
  EXPECT_EQ(fleet.Id(1501), "plant1-b001-f002-r0001-d001501");
  EXPECT_EQ(fleet.BuildingName(7), "b007");
  EXPECT_EQ(fleet.RoomName(12), "r0012");
}

TEST(Fleet, FormatIdMatchesIdAndFitsTheBuffer) {
  Config cfg = FleetOf(10'000);
  cfg.fleet.site = std::string(300, 's');  // longer than an id may be
  const Fleet fleet(cfg);
  char buf[Fleet::kMaxIdLength];
  const size_t n = fleet.FormatId(10'000, buf);
  EXPECT_LE(n, Fleet::kMaxIdLength);
  EXPECT_EQ(std::string(buf, n), fleet.Id(10'000));
  EXPECT_EQ(std::string(buf + n - 20, 20), "-b05-f04-r020-d10000");
}

TEST(Fleet, DevicesFillRoomsInOrder) {
  const Fleet fleet(FleetOf(10'000));
  std::array<int, 5 * 4 * 20> per_room{};
  Location prev = fleet.LocationOf(1);
  for (uint64_t d = 1; d <= 10'000; ++d) {
    const Location loc = fleet.LocationOf(d);
    ASSERT_LE(std::tie(prev.building, prev.floor, prev.room),
              std::tie(loc.building, loc.floor, loc.room))
        << d;
    ASSERT_GE(loc.room, 1u);
    ASSERT_LE(loc.room, 20u);
    ++per_room[((loc.building - 1) * 4 + loc.floor - 1) * 20 + loc.room - 1];
    prev = loc;
  }
  for (int n : per_room) EXPECT_EQ(n, 25);
}

TEST(Fleet, UnevenFleetLeavesOnlyTheLastRoomsShort) {
  const Fleet fleet(FleetOf(1001));  // 400 rooms: ceil = 3 per room, 334 rooms used
  EXPECT_EQ(fleet.LocationOf(3).room, 1u);
  EXPECT_EQ(fleet.LocationOf(4).room, 2u);
  const Location last = fleet.LocationOf(1001);  // room index 333: b05 f01 r014
  EXPECT_EQ(last.building, 5u);
  EXPECT_EQ(last.floor, 1u);
  EXPECT_EQ(last.room, 14u);
}

TEST(Fleet, DevicesBeyondTheSizeWrapAroundTheRooms) {
  // A fleet grown by hot reload keeps its layout: device 10,001 of a 10,000-device site
  // (25 per room) lands in the first room again, and every id stays well formed.
  const Fleet fleet(FleetOf(10'000));
  const Location first = fleet.LocationOf(10'001);
  EXPECT_EQ(std::tie(first.building, first.floor, first.room), std::make_tuple(1u, 1u, 1u));
  const Location later = fleet.LocationOf(10'026);
  EXPECT_EQ(std::tie(later.building, later.floor, later.room), std::make_tuple(1u, 1u, 2u));
  const Location far = fleet.LocationOf(10'000'000);
  EXPECT_GE(far.building, 1u);
  EXPECT_LE(far.building, 5u);
  EXPECT_EQ(fleet.Id(10'001), "plant1-b01-f01-r001-d10001");
  EXPECT_EQ(fleet.Id(123'456), "plant1-b02-f03-r019-d123456");
  EXPECT_EQ(fleet.Id(10'000), "plant1-b05-f04-r020-d10000");  // unchanged
}

TEST(Fleet, ProfileSharesFollowTheWeights) {
  const Fleet fleet(FleetOf(1'000'000));
  std::array<int, 5> counts{};
  for (uint64_t d = 1; d <= 1'000'000; ++d) ++counts[fleet.ProfileIndex(d)];
  const std::array<double, 5> want = {0.4, 0.2, 0.2, 0.1, 0.1};  // weights 4, 2, 2, 1, 1
  for (size_t i = 0; i < 5; ++i) EXPECT_NEAR(counts[i] / 1e6, want[i], 0.003) << i;
}

TEST(Fleet, ProfileOfADeviceDoesNotDependOnTheSeedOrFleetSize) {
  Config a = FleetOf(1000), b = FleetOf(50'000);
  b.run.seed = 99;
  const Fleet fa(a), fb(b);
  for (uint64_t d = 1; d <= 1000; ++d) ASSERT_EQ(fa.ProfileIndex(d), fb.ProfileIndex(d));
}

TEST(Fleet, ZeroWeightProfileIsNeverChosen) {
  Config cfg = FleetOf(100'000);
  cfg.fleet.profiles[2].weight = 0;
  const Fleet fleet(cfg);
  for (uint64_t d = 1; d <= 100'000; ++d) ASSERT_NE(fleet.ProfileIndex(d), 2u);
}

TEST(Fleet, IntervalIsTheProfilesOrTheRunDefault) {
  Config cfg = FleetOf(1000);
  cfg.fleet.profiles[0].interval.reset();
  cfg.run.interval = Millis{7000};
  const Fleet fleet(cfg);
  for (uint64_t d = 1; d <= 1000; ++d) {
    const Profile& p = fleet.ProfileOf(d);
    ASSERT_EQ(fleet.IntervalOf(d), p.interval.value_or(Millis{7000}));
  }
  EXPECT_EQ(fleet.ProfileOf(1).sensors, cfg.fleet.profiles[fleet.ProfileIndex(1)].sensors);
}

TEST(Fleet, EmptyProfileListMeansTheDefaults) {
  Config cfg;
  cfg.fleet.profiles.clear();
  EXPECT_EQ(Fleet(cfg).profiles().size(), DefaultProfiles().size());
}

TEST(Fleet, ShardsAreContiguousDisjointAndComplete) {
  const std::tuple<uint64_t, uint32_t> cases[] = {{10, 1},        {10, 3},         {10, 10}, {3, 5},
                                                  {1'000'000, 7}, {1'000'003, 16}, {0, 4}};
  for (const auto& [devices, count] : cases) {
    uint64_t next = 1, smallest = UINT64_MAX, largest = 0;
    for (uint32_t i = 0; i < count; ++i) {
      const DeviceRange r = Fleet::Shard(devices, i, count);
      ASSERT_EQ(r.first, next) << devices << "/" << count << " shard " << i;
      ASSERT_GE(r.last, r.first);
      smallest = std::min(smallest, r.size());
      largest = std::max(largest, r.size());
      next = r.last;
    }
    EXPECT_EQ(next, devices + 1) << devices << "/" << count;
    EXPECT_LE(largest - smallest, 1u) << devices << "/" << count;  // balanced
  }
}

TEST(Fleet, ShardPastTheEndIsEmpty) {
  EXPECT_EQ(Fleet::Shard(100, 4, 4).size(), 0u);
  EXPECT_EQ(Fleet::Shard(100, 0, 1).first, 1u);
  EXPECT_EQ(Fleet::Shard(100, 0, 1).last, 101u);
}

TEST(Fleet, SlicesAreFixedSizeDisjointAndStableAsMoreAreAdded) {
  // A slice's devices depend on its index and size only, not on how many slices run:
  // adding slices (scaling out) never moves a device.
  const std::tuple<uint64_t, uint64_t> cases[] = {
      {10, 3}, {10, 10}, {10, 1}, {9, 3}, {1'000'000, 100'000}, {1'000'003, 7}};
  for (const auto& [devices, size] : cases) {
    uint64_t next = 1;
    uint64_t i = 0;
    for (; next <= devices; ++i) {
      const DeviceRange r = Fleet::Slice(devices, i, size);
      ASSERT_EQ(r.first, next) << devices << " by " << size << ", slice " << i;
      ASSERT_EQ(r.first, i * size + 1);
      ASSERT_EQ(r.size(), std::min(size, devices - i * size));  // the last one may be short
      next = r.last;
    }
    EXPECT_EQ(next, devices + 1);
    EXPECT_EQ(i, (devices + size - 1) / size);
    EXPECT_EQ(Fleet::Slice(devices, i, size).size(), 0u);  // past the end: empty
    EXPECT_EQ(Fleet::Slice(devices, i + 5, size).size(), 0u);
  }
}

TEST(Fleet, SimulatedIsTheSliceOrTheShard) {
  Config cfg = FleetOf(1'000);
  const Fleet fleet(cfg);
  EXPECT_EQ(fleet.Simulated(cfg.run).first, 1u);  // the whole fleet by default
  EXPECT_EQ(fleet.Simulated(cfg.run).last, 1'001u);
  cfg.run.shard_index = 1;
  cfg.run.shard_count = 4;
  EXPECT_EQ(fleet.Simulated(cfg.run).first, 251u);
  cfg.run.shard_index = 0;
  cfg.run.shard_count = 1;
  cfg.run.slice = 2;
  cfg.run.slice_devices = 300;
  EXPECT_EQ(fleet.Simulated(cfg.run).first, 601u);
  EXPECT_EQ(fleet.Simulated(cfg.run).last, 901u);
  cfg.run.slice = 3;
  EXPECT_EQ(fleet.Simulated(cfg.run).last, 1'001u);
}

TEST(Fleet, FormatIdDoesNotAllocate) {
  const Fleet fleet(FleetOf(1'000'000));
  char buf[Fleet::kMaxIdLength];
  size_t total = 0;
  const uint64_t before = g_allocations.load();
  for (uint64_t d = 1; d <= 100'000; ++d) total += fleet.FormatId(d, buf);
  EXPECT_EQ(g_allocations.load(), before);
  EXPECT_EQ(total, 100'000u * 28);
}

}  // namespace
}  // namespace iiot
