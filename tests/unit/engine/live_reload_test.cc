// A running WorkerPool takes live changes (WorkerPool::Apply): the rate, the interval, the
// number of devices and the sensor model, observed in what reaches the sink (the one fake,
// at the sink seam). Bounds on rates are generous: the point is that the change shows.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <regex>
#include <set>
#include <thread>
#include <vector>

#include "config/config_loader.h"
#include "engine/live_settings.h"
#include "engine/worker_pool.h"
#include "recording_sink.h"
#include "reload/restart_rule.h"

namespace iiot {
namespace {

using std::chrono::milliseconds;
using testing::Message;
using testing::Parse;
using testing::RecordingSink;

void Sleep(int ms) { std::this_thread::sleep_for(milliseconds(ms)); }

// A validated config (backfill: over one hour).
Config RunConfigFor(Mode mode, uint64_t devices, uint32_t threads) {
  Config cfg;
  cfg.fleet.devices = devices;
  cfg.fleet.profiles = DefaultProfiles();
  cfg.run.mode = mode;
  cfg.run.rate = 1000;
  cfg.run.threads = threads;
  cfg.run.seed = 3;
  if (mode == Mode::kBackfill) {
    cfg.run.from = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
    cfg.run.to = *cfg.run.from + 3'600'000;
  }
  Validate(cfg);
  return cfg;
}

// Applies next to p after checking it is live for the running config.
void ApplyLive(WorkerPool& p, const Config& running, const Config& next) {
  Validate(next);
  ASSERT_EQ(WhyRestartNeeded(running, next, ChangedKeys(running, next)), "");
  p.Apply(next);
}

// Messages per second the producer generates over the next `ms`.
double MeasureRate(const WorkerPool& p, int ms) {
  const auto t0 = std::chrono::steady_clock::now();
  const uint64_t n0 = p.Generated();
  Sleep(ms);
  const uint64_t n1 = p.Generated();
  const std::chrono::duration<double> s = std::chrono::steady_clock::now() - t0;
  return static_cast<double>(n1 - n0) / s.count();
}

// Every device's seq, in arrival order, is 1, 2, 3...: nothing lost, repeated or restarted.
void ExpectSeqContinues(const std::vector<Message>& msgs) {
  std::map<uint64_t, uint64_t> last;
  for (const Message& m : msgs) {
    ASSERT_EQ(m.seq, last[m.device] + 1) << m.id;
    last[m.device] = m.seq;
  }
}

std::set<uint64_t> DevicesIn(const std::vector<Message>& msgs, size_t from, size_t to) {
  std::set<uint64_t> s;
  for (size_t i = from; i < to && i < msgs.size(); ++i) s.insert(msgs[i].device);
  return s;
}

TEST(LiveReload, RateModeTakesANewRateWithinASecond) {
  const Config cfg = RunConfigFor(Mode::kRate, 100, 2);
  const Fleet fleet(cfg);
  RecordingSink sink;
  WorkerPool p(cfg, fleet, sink);
  EXPECT_TRUE(p.Start().has_value());
  Sleep(200);
  const double before = MeasureRate(p, 700);
  Config next = cfg;
  next.run.rate = 4000;
  ApplyLive(p, cfg, next);
  Sleep(200);
  const double after = MeasureRate(p, 700);  // ends about 0.9 s after the change
  p.RequestStop();
  p.Join();
  EXPECT_GT(before, 0);
  EXPECT_GE(after, 2 * before) << "before " << before << "/s, after " << after << "/s";
  ExpectSeqContinues(Parse(sink.messages()));
}

TEST(LiveReload, RealtimeReschedulesOnTheNewInterval) {
  Config cfg = RunConfigFor(Mode::kRealtime, 20, 2);
  cfg.run.interval = Millis{1000};
  for (Profile& profile : cfg.fleet.profiles) profile.interval.reset();
  const Fleet fleet(cfg);
  RecordingSink sink;
  WorkerPool p(cfg, fleet, sink);
  EXPECT_TRUE(p.Start().has_value());
  Sleep(1500);
  Config next = cfg;
  next.run.interval = Millis{200};
  ApplyLive(p, cfg, next);
  Sleep(1300);
  p.RequestStop();
  p.Join();

  const std::vector<Message> msgs = Parse(sink.messages());
  ExpectSeqContinues(msgs);
  std::map<uint64_t, std::vector<UnixMillis>> ts;
  for (const Message& m : msgs) ts[m.device].push_back(m.ts);
  ASSERT_EQ(ts.size(), 20u);
  bool saw_old_interval = false;
  for (const auto& [device, list] : ts) {
    ASSERT_GE(list.size(), 5u) << "device " << device;
    // Without jitter a device reports exactly every interval: 1000 ms, then (from a fresh
    // phase after the change) 200 ms.
    for (size_t i = list.size() - 3; i < list.size(); ++i)
      EXPECT_EQ(list[i] - list[i - 1], 200) << "device " << device;
    for (size_t i = 1; i < list.size(); ++i) {
      const UnixMillis gap = list[i] - list[i - 1];
      EXPECT_TRUE(gap == 1000 || gap <= 1200) << "device " << device << " gap " << gap;
      saw_old_interval = saw_old_interval || gap == 1000;
    }
  }
  EXPECT_TRUE(saw_old_interval);
}

// Devices down, back up, and beyond anything seen before, in one mode.
void DevicesDownAndUp(Mode mode) {
  Config cfg = RunConfigFor(mode, 100, 2);
  cfg.run.rate = 2000;
  cfg.run.interval = Millis{250};
  for (Profile& profile : cfg.fleet.profiles) profile.interval.reset();
  const Fleet fleet(cfg);
  RecordingSink sink;
  WorkerPool p(cfg, fleet, sink);
  EXPECT_EQ(p.Devices(), 100u);
  EXPECT_TRUE(p.Start().has_value());
  Sleep(400);
  const size_t first_change = sink.size();
  Config down = cfg;
  down.fleet.devices = 40;
  ApplyLive(p, cfg, down);
  EXPECT_EQ(p.Devices(), 40u);
  Sleep(500);  // every worker has taken the change
  const size_t down_from = sink.size();
  Sleep(500);
  const size_t down_to = sink.size();
  Config up = cfg;
  up.fleet.devices = 150;
  ApplyLive(p, down, up);
  EXPECT_EQ(p.Devices(), 150u);
  Sleep(500);
  const size_t up_from = sink.size();
  Sleep(600);
  p.RequestStop();
  p.Join();

  const std::vector<Message> msgs = Parse(sink.messages());
  ExpectSeqContinues(msgs);  // devices 1..40 went on; 41..100 resumed; 101..150 from 1
  EXPECT_LE(*DevicesIn(msgs, 0, first_change).rbegin(), 100u);
  const std::set<uint64_t> while_down = DevicesIn(msgs, down_from, down_to);
  ASSERT_FALSE(while_down.empty());
  EXPECT_LE(*while_down.rbegin(), 40u);
  EXPECT_EQ(while_down.size(), 40u);
  const std::set<uint64_t> after_up = DevicesIn(msgs, up_from, msgs.size());
  EXPECT_EQ(after_up.size(), 150u);
  EXPECT_EQ(*after_up.rbegin(), 150u);

  // New devices get ids and locations on the site; old ids are unchanged.
  const std::regex id_pattern("plant1-b0[1-5]-f0[1-4]-r0[0-2][0-9]-d00[0-9]{3}");
  std::set<std::string> ids;
  for (const Message& m : msgs) {
    if (!ids.insert(m.id).second) continue;
    EXPECT_TRUE(std::regex_match(m.id, id_pattern)) << m.id;
    EXPECT_EQ(m.id, fleet.Id(m.device));
    EXPECT_EQ(m.json["device_id"], m.id);
    EXPECT_NE(m.json["location"]["building"], "") << m.id;
    EXPECT_NE(m.json["location"]["room"], "") << m.id;
  }
  EXPECT_EQ(ids.size(), 150u);
}

TEST(LiveReload, RateModeDevicesDownAndUp) { DevicesDownAndUp(Mode::kRate); }
TEST(LiveReload, RealtimeDevicesDownAndUp) { DevicesDownAndUp(Mode::kRealtime); }

// A temperature-only fleet and a temperature range far from the default one.
Config TemperatureOnly(Config cfg) {
  cfg.fleet.profiles = {{"thermo", {SensorType::kTemperature}, std::nullopt, 1}};
  cfg.anomalies = {0, 0, 0, 0, 0, 3, 20};
  Validate(cfg);
  return cfg;
}
Config HotRoom(Config cfg) {
  SensorParams& t = cfg.sensors.params[static_cast<size_t>(SensorType::kTemperature)];
  t = {200.0, 5.0, 100.0, 300.0, 3.0, 290.0};
  Validate(cfg);
  return cfg;
}
double Temperature(const Message& m) { return m.json["readings"]["temperature"]["value"]; }

TEST(LiveReload, SensorsChangeAtTheNextSample) {
  const Config cfg = TemperatureOnly(RunConfigFor(Mode::kRate, 20, 2));
  const Fleet fleet(cfg);
  RecordingSink sink;
  WorkerPool p(cfg, fleet, sink);
  EXPECT_TRUE(p.Start().has_value());
  Sleep(300);
  const size_t before = sink.size();
  ApplyLive(p, cfg, HotRoom(cfg));
  Sleep(300);
  const size_t after = sink.size();
  Sleep(300);
  p.RequestStop();
  p.Join();
  const std::vector<Message> msgs = Parse(sink.messages());
  ExpectSeqContinues(msgs);
  ASSERT_GT(before, 0u);
  ASSERT_GT(msgs.size(), after);
  for (size_t i = 0; i < before; ++i) ASSERT_LE(Temperature(msgs[i]), 60.0) << i;
  for (size_t i = after; i < msgs.size(); ++i) ASSERT_GE(Temperature(msgs[i]), 100.0) << i;
}

TEST(LiveReload, BackfillChangesSensorsAtAWindowBoundary) {
  Config cfg = RunConfigFor(Mode::kBackfill, 100, 2);
  cfg.run.speed = 100;  // 100 devices every 5 s: about 2,000 messages/s
  cfg.run.interval = Millis{5000};
  cfg = TemperatureOnly(cfg);
  const Fleet fleet(cfg);
  RecordingSink sink;
  WorkerPool p(cfg, fleet, sink);
  EXPECT_TRUE(p.Start().has_value());
  Sleep(400);
  ApplyLive(p, cfg, HotRoom(cfg));
  Sleep(500);
  p.RequestStop();
  p.Join();
  const std::vector<Message> msgs = Parse(sink.messages());
  ExpectSeqContinues(msgs);
  UnixMillis last_old = 0, first_new = std::numeric_limits<UnixMillis>::max();
  size_t old_count = 0, new_count = 0;
  for (const Message& m : msgs) {
    const double t = Temperature(m);
    ASSERT_TRUE(t <= 60.0 || t >= 100.0) << t;
    if (t <= 60.0) {
      ++old_count;
      last_old = std::max(last_old, m.ts);
    } else {
      ++new_count;
      first_new = std::min(first_new, m.ts);
    }
  }
  EXPECT_GT(old_count, 0u);
  EXPECT_GT(new_count, 0u);
  // Every worker switched at the same simulated instant: no old value after a new one.
  EXPECT_LT(last_old, first_new);
}

}  // namespace
}  // namespace iiot
