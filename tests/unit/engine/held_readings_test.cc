// HeldReadings: per device, oldest first, bounded, with the count of what a full buffer
// pushed out.
#include "engine/held_readings.h"

#include <gtest/gtest.h>

#include <deque>

namespace iiot {
namespace {

TEST(HeldReadings, KeepsEachDevicesReadingsOldestFirstUpToItsCapacity) {
  HeldReadings held(3);
  EXPECT_FALSE(held.Holds(7));
  EXPECT_TRUE(held.Of(7).empty());
  for (UnixMillis t : {10, 20, 30}) EXPECT_EQ(held.Hold(7, t), 0u);
  EXPECT_EQ(held.Hold(9, 15), 0u);
  EXPECT_EQ(held.size(), 4u);
  EXPECT_EQ(held.Hold(7, 40), 1u);  // full: 10 goes
  EXPECT_EQ(held.Of(7), (std::deque<UnixMillis>{20, 30, 40}));
  EXPECT_EQ(held.size(), 4u);
  held.set_capacity(1);  // smaller: applies at the device's next held reading
  EXPECT_EQ(held.Hold(7, 50), 3u);
  EXPECT_EQ(held.Of(7), (std::deque<UnixMillis>{50}));
  EXPECT_EQ(held.size(), 2u);
  EXPECT_EQ(held.Release(7), 1u);
  EXPECT_FALSE(held.Holds(7));
  EXPECT_TRUE(held.Holds(9));
  EXPECT_EQ(held.Release(7), 0u);
  EXPECT_EQ(held.size(), 1u);
}

}  // namespace
}  // namespace iiot
