// verify and network outages: the producer's own output of a run with an outage and replay,
// fed to TopicCheck on one partition (as a single-partition topic would hold it): the
// replayed readings are counted late, and the topic is clean (no gap, nothing out of order).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "../engine/recording_sink.h"
#include "config/config_loader.h"
#include "engine/worker_pool.h"
#include "verify/verify_command.h"
#include "verify/verify_report.h"

namespace iiot {
namespace {

constexpr UnixMillis kStart = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

TEST(VerifyLate, ReplayedReadingsAreLateNotGapsNorReordering) {
  for (const uint64_t seed : {3u, 8u}) {
    Config cfg;
    cfg.fleet.devices = 120;
    cfg.fleet.buildings = 2;
    cfg.fleet.floors = 3;
    cfg.fleet.rooms = 4;
    cfg.fleet.profiles = DefaultProfiles();
    cfg.run.mode = Mode::kBackfill;
    cfg.run.from = kStart;
    cfg.run.to = kStart + 3'600'000;
    cfg.run.seed = seed;
    cfg.run.threads = 2;
    cfg.incidents.kinds[static_cast<size_t>(IncidentKind::kNetworkOutage)] = {
        20, ScopeLevel::kRoom, Millis{60'000}, Millis{600'000}};
    Validate(cfg);
    const Fleet fleet(cfg);
    testing::RecordingSink sink;
    WorkerPool pool(cfg, fleet, sink);
    EXPECT_TRUE(pool.Start().has_value());
    pool.Join();

    VerifyOptions o;
    TopicCheck check(o);
    int64_t offset = 0;
    uint64_t labelled = 0;
    for (const auto& [key, value] : sink.messages()) {
      if (value.find(R"("kind":"network_outage")") != std::string::npos) ++labelled;
      check.Add(0, offset++, key, value);
    }
    VerifyReport r = check.Report();
    Judge(&r);
    EXPECT_TRUE(r.clean) << RenderTable(r);
    EXPECT_GT(r.late, 100u) << seed;
    EXPECT_EQ(r.late, labelled);
    EXPECT_EQ(r.late, pool.Outages().replayed);
    EXPECT_GT(r.late_max_ms, 60'000);  // replayed minutes after they were taken
    EXPECT_EQ(r.totals.gaps, 0u);
    EXPECT_EQ(r.totals.out_of_order, 0u);
    const nlohmann::json j = nlohmann::json::parse(RenderJson(r));
    EXPECT_EQ(j["totals"]["late"], r.late);
    EXPECT_NE(RenderTable(r).find("late (replayed)"), std::string::npos);
  }
}

}  // namespace
}  // namespace iiot
