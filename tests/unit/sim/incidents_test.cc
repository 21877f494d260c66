// Plant-wide incidents: deterministic in (seed, scope, time), at their rate, shared by every
// device of their scope, with their effects on the readings and the label on every message
// they touch (docs/sensors.md, "Incidents").
#include "sim/incidents.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <vector>

#include "sim/device_model.h"
#include "sim/fleet.h"
#include "sim/rng.h"
#include "sim_test_fixtures.h"

namespace iiot::testing {
namespace {

using S = SensorType;

IncidentRate Rate(double per_day, ScopeLevel scope, int64_t min_ms, int64_t max_ms) {
  return {per_day, scope, Millis{min_ms}, Millis{max_ms}};
}

TEST(Incidents, RandomIncidentsComeAtTheirRateWithTheirDurations) {
  const IncidentRate rate = Rate(0.5, ScopeLevel::kFloor, 600'000, 3'600'000);
  std::set<uint64_t> ids;
  uint64_t active_minutes = 0;
  const int64_t days = 2000;
  for (int64_t minute = 0; minute < days * 1440; ++minute) {
    const UnixMillis t = kStart + minute * 60'000;
    const Incident in = RandomIncident(rate, IncidentKind::kPowerLoss, Mix64(42), t);
    if (in.id == 0) continue;
    ASSERT_LE(in.start, t);
    ASSERT_LT(t, in.tail_end);
    ASSERT_GE(in.end - in.start, 600'000);
    ASSERT_LE(in.end - in.start, 3'600'000);
    ++active_minutes;
    ids.insert(in.id);
  }
  const double per_day = static_cast<double>(ids.size()) / static_cast<double>(days);
  EXPECT_NEAR(per_day, 0.5, 0.05);
  // Mean duration 35 minutes: about 0.5 × 35 active minutes a day.
  EXPECT_NEAR(static_cast<double>(active_minutes) / static_cast<double>(days), 17.5, 2.0);
}

TEST(Incidents, AnIncidentIsAFunctionOfScopeAndTime) {
  const IncidentRate rate = Rate(4, ScopeLevel::kBuilding, 600'000, 1'800'000);
  uint64_t found = 0, differ = 0;
  for (int64_t minute = 0; minute < 20 * 1440; minute += 7) {
    const UnixMillis t = kStart + minute * 60'000;
    const Incident a = RandomIncident(rate, IncidentKind::kHvacFailure, Mix64(1), t);
    const Incident again = RandomIncident(rate, IncidentKind::kHvacFailure, Mix64(1), t);
    const Incident other = RandomIncident(rate, IncidentKind::kHvacFailure, Mix64(2), t);
    EXPECT_EQ(a.id, again.id);
    EXPECT_EQ(a.start, again.start);
    found += a.id != 0;
    differ += a.id != other.id;
  }
  EXPECT_GT(found, 100u);
  EXPECT_GT(differ, found / 2);
}

// Readings of devices d in `devices` (all of one fleet) every `step` over `samples`.
std::map<uint64_t, std::vector<Reading>> Readings(const Config& cfg,
                                                  const std::vector<uint64_t>& devices, int samples,
                                                  int64_t step, UnixMillis start) {
  const Fleet fleet(cfg);
  const ModelParams params(cfg.sensors, cfg.anomalies, cfg.incidents);
  Plant plant(cfg.run.seed);
  std::map<uint64_t, std::vector<Reading>> out;
  for (uint64_t d : devices) {
    DeviceModel model(cfg.run.seed, d, fleet.ProfileOf(d), fleet.LocationOf(d));
    auto& series = out[d];
    series.resize(static_cast<size_t>(samples));
    for (int k = 0; k < samples; ++k) model.Sample(params, plant, start + k * step, &series[k]);
  }
  return out;
}

Config PlantConfig() {
  Config cfg;
  cfg.fleet.devices = 240;  // 3 a room, 20 rooms a floor: 60 devices a floor, 120 a building
  cfg.fleet.buildings = 2;
  cfg.fleet.floors = 2;
  cfg.fleet.rooms = 20;
  cfg.fleet.profiles = {MakeProfile({S::kTemperature, S::kHumidity, S::kSwitch, S::kCurrent})};
  cfg.anomalies = {0, 0, 0, 0, 0, 3, 20};
  cfg.run.seed = 5;
  return cfg;
}

TEST(Incidents, EveryDeviceOfAScopeSeesTheSameIncident) {
  Config cfg = PlantConfig();
  cfg.incidents.kinds[0] = Rate(6, ScopeLevel::kFloor, 1'800'000, 3'600'000);  // HVAC
  // Devices 1 and 40 share floor 1 (other rooms); 100 is on floor 2.
  const auto runs = Readings(cfg, {1, 40, 100}, 2 * 1440, 60'000, kStart);
  uint64_t together = 0, apart = 0;
  for (size_t k = 0; k < runs.at(1).size(); ++k) {
    const IncidentLabel& a = runs.at(1)[k].incident;
    const IncidentLabel& b = runs.at(40)[k].incident;
    const IncidentLabel& c = runs.at(100)[k].incident;
    ASSERT_EQ(a.id, b.id) << k;
    ASSERT_EQ(a.phase, b.phase) << k;
    together += a.phase != IncidentPhase::kNone;
    apart += a.id != c.id;
  }
  EXPECT_GT(together, 60u);
  EXPECT_GT(apart, 60u);
}

TEST(Incidents, AnHvacFailureWarmsTheRoomAndHumidityFollows) {
  // The same devices without the incidents draw the same numbers: the difference is the
  // failure's own effect.
  Config cfg = PlantConfig();
  const auto without = Readings(cfg, {1, 2, 3, 4, 5, 6}, 4 * 1440, 60'000, kStart);
  cfg.incidents.kinds[0] = Rate(6, ScopeLevel::kRoom, 3'600'000, 3'600'000);
  const auto with = Readings(cfg, {1, 2, 3, 4, 5, 6}, 4 * 1440, 60'000, kStart);
  uint64_t ends = 0, recovery = 0;
  for (const auto& [device, series] : with) {
    const std::vector<Reading>& base = without.at(device);
    for (size_t k = 0; k + 1 < series.size(); ++k) {
      const Reading& r = series[k];
      const double warmer = r.sensors[0].value - base[k].sensors[0].value;
      const double drier = base[k].sensors[1].value - r.sensors[1].value;
      if (r.incident.phase == IncidentPhase::kNone) {
        ASSERT_EQ(warmer, 0.0);
        continue;
      }
      EXPECT_EQ(r.incident.kind, IncidentKind::kHvacFailure);
      EXPECT_EQ(r.incident.scope, ScopeLevel::kRoom);
      EXPECT_GE(warmer, 0.0);
      EXPECT_LE(warmer, 1.6 * 5 + 0.01);
      EXPECT_NEAR(drier, 1.5 * warmer, 0.1 + 0.1 * warmer) << device << " at " << k;
      recovery += r.incident.phase == IncidentPhase::kRecovery;
      // The last active minute, 60 minutes in: at least 0.8σ × (1 − e⁻³).
      if (r.incident.phase == IncidentPhase::kActive &&
          series[k + 1].incident.phase != IncidentPhase::kActive) {
        EXPECT_GT(warmer, 0.8 * 5 * 0.95 - 0.05) << device << " at " << k;
        ++ends;
      }
    }
  }
  EXPECT_GT(ends, 5u);
  EXPECT_GT(recovery, 100u);
}

TEST(Incidents, APowerLossSwitchesOffAndRestoresWithAnInrush) {
  Config cfg = PlantConfig();
  cfg.incidents.kinds[1] = Rate(12, ScopeLevel::kBuilding, 600'000, 1'200'000);
  std::vector<uint64_t> devices;
  for (uint64_t d = 1; d <= 40; ++d) devices.push_back(d);
  const auto runs = Readings(cfg, devices, 1440 * 15, 1000, kStart);  // 6 h at 1 s
  uint64_t off = 0, restored_on = 0;
  RunningMoments first, steady;
  for (const auto& [device, series] : runs) {
    for (size_t k = 1; k < series.size(); ++k) {
      const Reading& r = series[k];
      if (r.incident.phase == IncidentPhase::kActive) {
        ASSERT_EQ(r.incident.kind, IncidentKind::kPowerLoss);
        ASSERT_FALSE(r.sensors[2].on);
        ASSERT_EQ(r.sensors[3].value, 0.0);
        ++off;
      } else if (series[k - 1].incident.phase == IncidentPhase::kActive && r.sensors[2].on) {
        first.Add(r.sensors[3].value);
        ++restored_on;
      } else if (r.sensors[2].on && series[k - 1].sensors[2].on) {
        steady.Add(r.sensors[3].value);
      }
    }
  }
  EXPECT_GT(off, 10'000u);
  EXPECT_GT(restored_on, 20u);
  EXPECT_GT(first.mean(), 1.3 * steady.mean());
}

TEST(Incidents, AScheduledIncidentCoversItsScopeFromItsStartForItsDuration) {
  Config cfg = PlantConfig();  // floors of 20 rooms, 3 devices a room
  const UnixMillis ten = kStart + 10 * 3'600'000LL;
  cfg.incidents.schedule = {
      {IncidentKind::kHvacFailure, ScopeLevel::kFloor, 1, 2, 0, ten, Millis{3'600'000}},
      {IncidentKind::kPowerLoss, ScopeLevel::kRoom, 2, 1, 5, ten, Millis{600'000}}};
  // Device 61 is on b1-f2; device 1 on b1-f1; device 133 in b2-f1-r5 (room 45 of the site).
  const auto runs = Readings(cfg, {61, 100, 1, 133}, 24 * 60, 60'000, kStart);
  std::set<uint64_t> hvac_ids;
  for (size_t k = 0; k < runs.at(61).size(); ++k) {
    const UnixMillis t = kStart + static_cast<int64_t>(k) * 60'000;
    for (uint64_t d : {61u, 100u}) {
      const IncidentLabel& label = runs.at(d)[k].incident;
      const IncidentPhase want = t < ten                             ? IncidentPhase::kNone
                                 : t < ten + 3'600'000               ? IncidentPhase::kActive
                                 : t < ten + 3'600'000 + 75 * 60'000 ? IncidentPhase::kRecovery
                                                                     : IncidentPhase::kNone;
      ASSERT_EQ(label.phase, want) << d << " at minute " << k;
      if (want != IncidentPhase::kNone) {
        hvac_ids.insert(label.id);
        EXPECT_EQ(label.kind, IncidentKind::kHvacFailure);
        EXPECT_EQ(label.scope, ScopeLevel::kFloor);
      }
    }
    EXPECT_EQ(runs.at(1)[k].incident.phase, IncidentPhase::kNone);
    const Reading& powered = runs.at(133)[k];
    const bool off = t >= ten && t < ten + 600'000;
    EXPECT_EQ(powered.incident.phase, off ? IncidentPhase::kActive : IncidentPhase::kNone) << k;
    if (off) {
      EXPECT_EQ(powered.incident.kind, IncidentKind::kPowerLoss);
      EXPECT_FALSE(powered.sensors[2].on);
    }
  }
  EXPECT_EQ(hvac_ids.size(), 1u);  // one incident, one id, on every device it covers
}

TEST(Incidents, TheLatestScheduledIncidentShowsAndIdsFollowTheEntry) {
  Config cfg = PlantConfig();
  const UnixMillis ten = kStart + 10 * 3'600'000LL;
  const ScheduledIncident site{IncidentKind::kHvacFailure, ScopeLevel::kSite, 0, 0, 0, ten,
                               Millis{3'600'000}};
  const ScheduledIncident room{IncidentKind::kHvacFailure, ScopeLevel::kRoom, 1, 1, 1,
                               ten + 90 * 60'000,          Millis{3'600'000}};
  cfg.incidents.schedule = {site, room};
  const auto a = Readings(cfg, {1, 4}, 4 * 60, 60'000, ten);  // device 1: b1-f1-r1
  cfg.incidents.schedule = {room, site};                      // the other order
  const auto b = Readings(cfg, {1, 4}, 4 * 60, 60'000, ten);
  for (size_t k = 0; k < a.at(1).size(); ++k) {
    ASSERT_EQ(a.at(1)[k].incident.id, b.at(1)[k].incident.id) << k;
    ASSERT_EQ(a.at(4)[k].incident.id, b.at(4)[k].incident.id) << k;
  }
  // At 11:45 device 1's room has its own new failure over the site's recovery; device 4
  // (another room) still shows the site's.
  const Reading& mine = a.at(1)[105];
  const Reading& other = a.at(4)[105];
  EXPECT_EQ(mine.incident.scope, ScopeLevel::kRoom);
  EXPECT_EQ(mine.incident.phase, IncidentPhase::kActive);
  EXPECT_EQ(other.incident.scope, ScopeLevel::kSite);
  EXPECT_EQ(other.incident.phase, IncidentPhase::kRecovery);
  EXPECT_NE(mine.incident.id, other.incident.id);
}

TEST(Incidents, APowerLossEndsWhatRunsOnTheSwitchAndTheCurrent) {
  Config cfg = PlantConfig();
  cfg.anomalies = {0.01, 0.01, 0.01, 0, 0.02, 3, 30};
  cfg.incidents.kinds[1] = Rate(12, ScopeLevel::kBuilding, 600'000, 1'200'000);
  std::vector<uint64_t> devices;
  for (uint64_t d = 1; d <= 40; ++d) devices.push_back(d);
  uint64_t off = 0;
  for (const auto& [device, series] : Readings(cfg, devices, 6 * 720, 5000, kStart)) {
    for (const Reading& r : series) {
      if (r.incident.kind != IncidentKind::kPowerLoss ||
          r.incident.phase != IncidentPhase::kActive) {
        continue;
      }
      ++off;
      if (r.anomaly != AnomalyKind::kNone) {
        EXPECT_NE(r.anomaly_sensor, S::kSwitch) << Name(r.anomaly);
        EXPECT_NE(r.anomaly_sensor, S::kCurrent) << Name(r.anomaly);
      }
    }
  }
  EXPECT_GT(off, 1000u);
}

TEST(Incidents, ANetworkOutageTakesDevicesOfflineAndWinsTheLabel) {
  IncidentsConfig cfg;
  cfg.kinds[0] = Rate(8, ScopeLevel::kRoom, 600'000, 1'800'000);
  cfg.kinds[1] = Rate(8, ScopeLevel::kFloor, 600'000, 1'800'000);
  cfg.kinds[2] = Rate(8, ScopeLevel::kBuilding, 600'000, 1'800'000);
  uint64_t offline = 0, with_power_loss = 0;
  for (uint32_t b = 1; b <= 3; ++b) {
    const PlaceKeys place = PlaceKeysOf(PlantWorld(5), {b, 2, 3, 0});
    for (int64_t minute = 0; minute < 3 * 1440; ++minute) {
      const UnixMillis t = kStart + minute * 60'000;
      const IncidentEffect e = IncidentsAt(cfg, place, t);
      // The cheap check agrees with the whole one.
      const IncidentLabel down = NetworkOutageAt(cfg, place, t);
      ASSERT_EQ(down.phase != IncidentPhase::kNone, e.offline) << b << " " << minute;
      if (e.offline) {
        ASSERT_EQ(down.id, e.label.id);
      }
      if (!e.offline) continue;
      ++offline;
      with_power_loss += e.power_off;
      EXPECT_EQ(e.label.kind, IncidentKind::kNetworkOutage);
      EXPECT_EQ(e.label.scope, ScopeLevel::kBuilding);
      EXPECT_EQ(e.label.phase, IncidentPhase::kActive);
    }
  }
  EXPECT_GT(offline, 300u);
  EXPECT_GT(with_power_loss, 0u);  // both at once: the outage shows, the power is still off
}

TEST(Incidents, NoRatesNoIncidents) {
  const auto runs = Readings(PlantConfig(), {1, 50}, 1440, 60'000, kStart);
  for (const auto& [device, series] : runs) {
    for (const Reading& r : series) ASSERT_EQ(r.incident.phase, IncidentPhase::kNone);
  }
}

TEST(Incidents, IdsPrintAsSixteenHexDigits) {
  char out[16];
  EXPECT_EQ(std::string(out, FormatIncidentId(0x00ab'cdef'0123'4567ULL, out)), "00abcdef01234567");
}

}  // namespace
}  // namespace iiot::testing
