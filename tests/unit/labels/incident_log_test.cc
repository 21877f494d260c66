// IncidentLog: one start and one end record per incident, in time order, whatever the step
// the run advances it by; shards together write exactly what one instance writes; and the
// records agree with what devices see (IncidentsAt).
#include "labels/incident_log.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../engine/recording_sink.h"
#include "config/config_loader.h"
#include "sim/plant.h"

namespace iiot {
namespace {

using json = nlohmann::json;
constexpr UnixMillis kStart = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
constexpr int64_t kDay = 86'400'000;

Config PlantConfig(uint32_t shard = 0, uint32_t shards = 1) {
  Config cfg;
  cfg.fleet.devices = 300;
  cfg.fleet.buildings = 3;
  cfg.fleet.floors = 2;
  cfg.fleet.rooms = 5;
  cfg.fleet.profiles = DefaultProfiles();
  cfg.run.seed = 21;
  cfg.run.shard_index = shard;
  cfg.run.shard_count = shards;
  cfg.incidents.kinds[0] = {3, ScopeLevel::kRoom, Millis{600'000}, Millis{3'600'000}};
  cfg.incidents.kinds[1] = {2, ScopeLevel::kBuilding, Millis{300'000}, Millis{1'800'000}};
  cfg.incidents.kinds[2] = {4, ScopeLevel::kFloor, Millis{120'000}, Millis{900'000}};
  cfg.incidents.schedule = {{IncidentKind::kPowerLoss, ScopeLevel::kFloor, 2, 1, 0,
                             kStart + 5 * 3'600'000, Millis{1'200'000}}};
  Validate(cfg);
  return cfg;
}

// An incident log writing to a recording sink (the one fake, at the sink seam).
struct RecordedLog {
  explicit RecordedLog(const Config& cfg) : fleet(cfg), stream(Sinks()), log(cfg, fleet, stream) {}

  std::vector<std::unique_ptr<Sink>> Sinks() {
    auto sink = std::make_unique<testing::RecordingSink>();
    recorded = sink.get();
    std::vector<std::unique_ptr<Sink>> sinks;
    sinks.push_back(std::move(sink));
    return sinks;
  }

  testing::RecordingSink* recorded = nullptr;
  const Fleet fleet;
  LabelStream stream;
  IncidentLog log;
};

// The records of one day, advancing by `step`.
std::vector<json> Records(const Config& cfg, int64_t step) {
  RecordedLog r(cfg);
  IncidentLog& log = r.log;
  for (UnixMillis t = kStart; t < kStart + kDay; t += step) log.Advance(cfg.incidents, t);
  log.Advance(cfg.incidents, kStart + kDay);
  std::vector<json> out;
  for (const auto& [key, value] : r.recorded->messages()) {
    out.push_back(json::parse(value));
    EXPECT_EQ(out.back()["id"], key);
  }
  EXPECT_EQ(log.written(), out.size());
  return out;
}

TEST(IncidentLog, EveryIncidentStartsAndEndsOnceInTimeOrder) {
  const std::vector<json> records = Records(PlantConfig(), 60'000);
  ASSERT_GT(records.size(), 40u);
  std::map<std::string, std::vector<std::string>> events;
  std::string last;
  for (const json& r : records) {
    events[r["id"]].push_back(r["event"]);
    const std::string at = r["event"] == "start" ? r["start_ts"] : r["end_ts"];
    EXPECT_GE(at, last) << r.dump();
    last = at;
    EXPECT_GT(r["devices"].get<int>(), 0);
  }
  for (const auto& [id, e] : events) {
    // The day's first and last may be cut by its ends; every other one has both.
    EXPECT_TRUE(e == std::vector<std::string>({"start", "end"}) ||
                e == std::vector<std::string>({"start"}) || e == std::vector<std::string>({"end"}))
        << id;
  }
  const auto scheduled = std::count_if(records.begin(), records.end(), [](const json& r) {
    return r["scope"] == "b02-f01" && r["kind"] == "power_loss" &&
           r["start_ts"] == "2026-01-01T05:00:00.000Z";
  });
  EXPECT_EQ(scheduled, 2);
}

TEST(IncidentLog, TheStepChangesNothing) {
  EXPECT_EQ(Records(PlantConfig(), 60'000), Records(PlantConfig(), 17 * 60'000 + 3));
}

TEST(IncidentLog, ShardsWriteEachIncidentOnceBetweenThem) {
  std::vector<std::string> whole, parts;
  for (const json& r : Records(PlantConfig(), 300'000)) whole.push_back(r.dump());
  for (uint32_t i = 0; i < 4; ++i) {
    for (const json& r : Records(PlantConfig(i, 4), 300'000)) parts.push_back(r.dump());
  }
  std::sort(whole.begin(), whole.end());
  std::sort(parts.begin(), parts.end());
  EXPECT_EQ(whole, parts);
}

TEST(IncidentLog, AnIncidentEndedEarlyOrRemovedWhileOpenGetsItsEnd) {
  Config cfg = PlantConfig();
  cfg.incidents.kinds = {};
  const UnixMillis t0 = kStart + 3'600'000;
  cfg.incidents.schedule = {
      {IncidentKind::kNetworkOutage, ScopeLevel::kFloor, 1, 1, 0, t0, Millis{3'600'000}},
      {IncidentKind::kPowerLoss, ScopeLevel::kBuilding, 3, 0, 0, t0, Millis{3'600'000}, 99}};
  RecordedLog r(cfg);
  IncidentLog& log = r.log;
  testing::RecordingSink* recorded = r.recorded;
  log.Advance(cfg.incidents, t0 + 60'000);
  ASSERT_EQ(recorded->size(), 2u);  // both started
  // The power loss is ended early at a time the log has passed already (DELETE), the
  // outage removed from the schedule (a reload).
  IncidentsConfig changed = cfg.incidents;
  changed.schedule = {changed.schedule[1]};
  changed.schedule[0].duration = Millis{30'000};
  log.Advance(changed, t0 + 120'000);
  const auto records = recorded->messages();
  ASSERT_EQ(records.size(), 4u);
  std::map<std::string, json> ends;
  for (size_t i = 2; i < 4; ++i) {
    const json record = json::parse(records[i].second);
    EXPECT_EQ(record["event"], "end");
    ends[record["kind"]] = record;
  }
  EXPECT_EQ(ends.at("power_loss")["end_ts"], "2026-01-01T01:00:30.000Z");
  EXPECT_EQ(ends.at("network_outage")["end_ts"], "2026-01-01T01:02:00.000Z");
  log.Advance(changed, t0 + 7'200'000);
  EXPECT_EQ(recorded->size(), 4u);  // nothing more
}

TEST(IncidentLog, RecordsAgreeWithWhatDevicesSee) {
  const Config cfg = PlantConfig();
  const Fleet fleet(cfg);
  std::map<uint64_t, json> by_id;
  for (const json& r : Records(cfg, 60'000))
    by_id[std::stoull(r["id"].get<std::string>(), nullptr, 16)] = r;
  uint64_t seen = 0;
  for (uint64_t device : {1u, 77u, 150u, 299u}) {
    const PlaceKeys place = PlaceKeysOf(PlantWorld(cfg.run.seed), fleet.LocationOf(device));
    char scope[Fleet::kMaxIdLength];
    for (UnixMillis t = kStart + 3'600'000; t < kStart + kDay - 3'600'000; t += 60'000) {
      for (int k = 0; k < kIncidentKindCount; ++k) {
        ScopeLevel level{};
        const Incident in =
            FindIncident(cfg.incidents, place, static_cast<IncidentKind>(k), t, &level);
        if (in.id == 0) continue;
        ++seen;
        ASSERT_EQ(by_id.count(in.id), 1u) << device << " " << t;
        const json& r = by_id.at(in.id);
        EXPECT_EQ(r["kind"], Name(static_cast<IncidentKind>(k)));
        EXPECT_EQ(r["scope"], std::string(scope, fleet.FormatScope(device, level, scope)));
      }
    }
  }
  EXPECT_GT(seen, 100u);
}

}  // namespace
}  // namespace iiot
