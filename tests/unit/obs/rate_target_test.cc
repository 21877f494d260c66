// The rate a configuration asks for, by mode, and how a measured rate falls short of it.
#include "obs/rate_target.h"

#include <gtest/gtest.h>

#include "config/config.h"
#include "sim/fleet.h"

namespace iiot {
namespace {

Config TwoProfiles() {
  Config cfg;
  cfg.fleet.devices = 1000;
  cfg.run.interval = Millis{2000};
  Profile fast;
  fast.name = "fast";
  fast.sensors = {SensorType::kTemperature};
  fast.interval = Millis{100};
  fast.weight = 1;
  Profile slow = fast;
  slow.name = "slow";
  slow.interval.reset();  // run.interval
  slow.weight = 3;
  cfg.fleet.profiles = {fast, slow};
  return cfg;
}

TEST(TargetRate, RealtimeWeighsEachProfilesInterval) {
  Config cfg = TwoProfiles();
  cfg.run.mode = Mode::kRealtime;
  const Fleet fleet(cfg);
  // A quarter of the devices at 10/s, three quarters at 0.5/s.
  EXPECT_DOUBLE_EQ(*TargetRate(cfg, fleet, 1000), 1000 * (0.25 * 10 + 0.75 * 0.5));
  EXPECT_DOUBLE_EQ(*TargetRate(cfg, fleet, 400), 400 * (0.25 * 10 + 0.75 * 0.5));
  cfg.run.interval = Millis{500};  // a reload changes the slow profile only
  EXPECT_DOUBLE_EQ(*TargetRate(cfg, fleet, 1000), 1000 * (0.25 * 10 + 0.75 * 2));
}

TEST(TargetRate, RateModeIsItsRateMaxModeHasNone) {
  Config cfg = TwoProfiles();
  const Fleet fleet(cfg);
  cfg.run.mode = Mode::kRate;
  cfg.run.rate = 2500;
  EXPECT_DOUBLE_EQ(*TargetRate(cfg, fleet, 1000), 2500);
  cfg.run.mode = Mode::kMax;
  EXPECT_FALSE(TargetRate(cfg, fleet, 1000));
}

TEST(TargetRate, APacedBackfillIsItsSpeedTimesRealTime) {
  Config cfg = TwoProfiles();
  const Fleet fleet(cfg);
  cfg.run.mode = Mode::kBackfill;
  cfg.run.speed = 0;
  EXPECT_FALSE(TargetRate(cfg, fleet, 1000));
  cfg.run.speed = 60;
  EXPECT_DOUBLE_EQ(*TargetRate(cfg, fleet, 1000), 60 * 1000 * (0.25 * 10 + 0.75 * 0.5));
}

TEST(UnreachableRateWarning, OnlyPastWhatTheThreadsCouldReach) {
  Config cfg = TwoProfiles();
  cfg.run.mode = Mode::kRate;
  EXPECT_EQ(UnreachableRateWarning(cfg, 2 * kReachablePerThread, 2), "");
  const std::string warning = UnreachableRateWarning(cfg, 2 * kReachablePerThread + 1, 2);
  EXPECT_NE(warning.find("asks for 20,000,001 msg/s (run.rate, --rate)"), std::string::npos)
      << warning;
}

TEST(Shortfall, IsThePartOfTheTargetMissed) {
  EXPECT_DOUBLE_EQ(Shortfall(1000, 250), 0.75);
  EXPECT_DOUBLE_EQ(Shortfall(1000, 1200), 0);
  EXPECT_DOUBLE_EQ(Shortfall(1000, 0), 1);
  EXPECT_DOUBLE_EQ(Shortfall(0, 10), 0);
}

}  // namespace
}  // namespace iiot
