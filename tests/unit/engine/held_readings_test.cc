// HeldReadings: per device, oldest first, bounded, with the count of what a full buffer
// pushed out.
#include "engine/held_readings.h"

#include <gtest/gtest.h>

#include <vector>

namespace iiot {
namespace {

std::vector<UnixMillis> Drain(HeldReadings& held, uint32_t slot) {
  std::vector<UnixMillis> out;
  while (held.Holds(slot)) {
    out.push_back(held.Oldest(slot).t);
    held.DropOldest(slot);
  }
  return out;
}

TEST(HeldReadings, KeepsEachDevicesReadingsOldestFirstUpToItsCapacity) {
  const IncidentLabel outage{IncidentPhase::kActive, IncidentKind::kNetworkOutage,
                             ScopeLevel::kFloor, 42};
  HeldReadings held(3);
  EXPECT_FALSE(held.Holds(7));
  for (UnixMillis t : {10, 20, 30}) EXPECT_EQ(held.Hold(7, {t, outage}), 0u);
  EXPECT_EQ(held.Hold(9, {15, outage}), 0u);
  EXPECT_EQ(held.size(), 4u);
  EXPECT_EQ(held.Hold(7, {40, outage}), 1u);  // full: 10 goes
  EXPECT_EQ(held.size(), 4u);
  EXPECT_EQ(held.Oldest(7).t, 20);
  EXPECT_EQ(held.Oldest(7).outage.id, 42u);
  held.DropOldest(7);
  EXPECT_EQ(held.size(), 3u);
  held.set_capacity(1);  // smaller: applies at the device's next held reading
  EXPECT_EQ(held.Hold(7, {50, outage}), 2u);
  EXPECT_EQ(Drain(held, 7), std::vector<UnixMillis>{50});
  EXPECT_FALSE(held.Holds(7));
  EXPECT_TRUE(held.Holds(9));
  held.DropOldest(7);  // nothing held: nothing happens
  EXPECT_EQ(held.size(), 1u);
  EXPECT_EQ(Drain(held, 9), std::vector<UnixMillis>{15});
  EXPECT_EQ(held.size(), 0u);
}

}  // namespace
}  // namespace iiot
