// WhyRestartNeeded: which changed keys a running WorkerPool takes live, per mode and shard,
// and the reason (naming the key) for those it does not.
#include "reload/restart_rule.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/config_loader.h"

namespace iiot {
namespace {

Config Running(Mode mode) {
  Config cfg;
  cfg.fleet.profiles = DefaultProfiles();
  cfg.run.mode = mode;
  if (mode == Mode::kRate) cfg.run.rate = 1000;
  if (mode == Mode::kBackfill) {
    cfg.run.from = 1'767'225'600'000;
    cfg.run.to = 1'767'225'600'000 + 3'600'000;
  }
  Validate(cfg);
  return cfg;
}

constexpr Mode kAllModes[] = {Mode::kRealtime, Mode::kRate, Mode::kMax, Mode::kBackfill};

// The keys are what decides; next is the running config itself unless a case needs more.
std::string Why(const Config& running, std::vector<std::string> keys) {
  return WhyRestartNeeded(running, running, keys);
}

TEST(WhyRestartNeeded, NothingChangedIsLive) {
  for (Mode mode : kAllModes) EXPECT_EQ(Why(Running(mode), {}), "") << Name(mode);
}

TEST(WhyRestartNeeded, SensorsAndAnomaliesAreLiveInEveryMode) {
  for (Mode mode : kAllModes) {
    EXPECT_EQ(Why(Running(mode), {"sensors.temperature.mean", "sensors.ema_alpha",
                                  "anomalies.spike", "anomalies.max_length"}),
              "")
        << Name(mode);
  }
}

TEST(WhyRestartNeeded, KeysTheAppAppliesAreLive) {
  for (Mode mode : kAllModes) {
    EXPECT_EQ(Why(Running(mode),
                  {"log.level", "alerts.error_rate", "alerts.window", "admin.ready_min_success",
                   "admin.ready_window", "reload.debounce", "reload.watch"}),
              "")
        << Name(mode);
  }
}

TEST(WhyRestartNeeded, RateIntervalJitterAndDevicesAreLiveOnTheWallClock) {
  for (Mode mode : {Mode::kRealtime, Mode::kRate}) {
    EXPECT_EQ(Why(Running(mode), {"run.rate", "run.interval", "run.jitter", "fleet.devices"}), "")
        << Name(mode);
  }
}

TEST(WhyRestartNeeded, ClockAndDeviceChangesNeedARestartOnTheSimulatedClock) {
  for (Mode mode : {Mode::kMax, Mode::kBackfill}) {
    const Config running = Running(mode);
    for (const char* key : {"run.rate", "run.interval", "run.jitter", "fleet.devices"}) {
      EXPECT_EQ(Why(running, {key}),
                std::string(key) + " cannot change in " + Name(mode) + " mode (restart needed)");
    }
    Config next = running;
    next.fleet.profiles[0].interval = Millis{1234};
    EXPECT_NE(WhyRestartNeeded(running, next, {"fleet.profiles"}).find("fleet.profiles"),
              std::string::npos);
  }
}

TEST(WhyRestartNeeded, DevicesNeedARestartWhenSharded) {
  Config running = Running(Mode::kRate);
  running.run.shard_index = 1;
  running.run.shard_count = 4;
  const std::string why = Why(running, {"fleet.devices"});
  EXPECT_EQ(why.rfind("fleet.devices ", 0), 0u) << why;
  EXPECT_NE(why.find("run.shard"), std::string::npos) << why;
  EXPECT_NE(why.find("(restart needed)"), std::string::npos) << why;
}

TEST(WhyRestartNeeded, EverythingElseNeedsARestartAndIsNamed) {
  const char* keys[] = {"kafka.brokers", "kafka.topic",     "kafka.properties", "kafka.acks",
                        "output.format", "output.sink",     "output.file",      "run.mode",
                        "run.threads",   "run.seed",        "run.shard",        "run.count",
                        "run.duration",  "run.start",       "run.from",         "run.speed",
                        "fleet.site",    "fleet.buildings", "fleet.rooms",      "admin.addr",
                        "admin.token",   "log.quiet"};
  for (Mode mode : kAllModes) {
    for (const char* key : keys) {
      EXPECT_EQ(Why(Running(mode), {key}),
                std::string(key) + " cannot change while running (restart needed)")
          << Name(mode);
    }
  }
}

TEST(WhyRestartNeeded, NamesTheFirstKeyThatNeedsARestart) {
  const Config running = Running(Mode::kRealtime);
  EXPECT_EQ(Why(running, {"run.rate", "sensors.humidity.mean", "kafka.topic", "run.seed"}),
            "kafka.topic cannot change while running (restart needed)");
}

TEST(WhyRestartNeeded, ProfilesAreLiveWhenOnlyTheirIntervalsChange) {
  const Config running = Running(Mode::kRealtime);
  Config next = running;
  next.fleet.profiles[0].interval = Millis{2500};
  next.fleet.profiles[1].interval.reset();
  EXPECT_EQ(WhyRestartNeeded(running, next, {"fleet.profiles"}), "");

  for (int change = 0; change < 4; ++change) {
    Config other = running;
    Profile& p = other.fleet.profiles[0];
    if (change == 0) p.weight += 1;
    if (change == 1) p.name += "-x";
    if (change == 2) p.sensors.pop_back();
    if (change == 3) other.fleet.profiles.pop_back();
    EXPECT_EQ(WhyRestartNeeded(running, other, {"fleet.profiles"}),
              "fleet.profiles can change only in their interval fields while running (restart "
              "needed)")
        << "change " << change;
  }
}

}  // namespace
}  // namespace iiot
