// IncidentsApi: incidents started, listed and ended through /api/v1/incidents land in the
// schedule the workers follow (next to the config's, kept across a reload), keep their id
// when ended, and bad requests get a clear 4xx that names the field.
#include "app/incidents_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "../engine/recording_sink.h"
#include "config/config_loader.h"

namespace iiot {
namespace {

using json = nlohmann::json;

Config RealtimeConfig() {
  Config cfg;
  cfg.fleet.devices = 100;
  cfg.fleet.buildings = 2;
  cfg.fleet.floors = 2;
  cfg.fleet.rooms = 5;
  cfg.fleet.profiles = DefaultProfiles();
  cfg.run.threads = 1;
  cfg.incidents.schedule = {{IncidentKind::kHvacFailure, ScopeLevel::kBuilding, 2, 0, 0,
                             1'767'225'600'000, Millis{3'600'000}}};
  Validate(cfg);
  return cfg;
}

struct Api {
  Config cfg = RealtimeConfig();
  Fleet fleet{cfg};
  testing::RecordingSink sink;
  WorkerPool pool{cfg, fleet, sink};
  IncidentsApi api{cfg, fleet, pool};

  AdminResponse Post(const std::string& body) { return api.Handle({"POST", "", body}); }
  json Get() { return json::parse(api.Handle({"GET", "", ""}).body); }
  std::vector<ScheduledIncident> Schedule() { return pool.Settings()->params.incidents.schedule; }
};

TEST(IncidentsApi, StartListAndEndAnIncident) {
  Api a;
  const AdminResponse started =
      a.Post(R"({"kind":"network_outage","scope":"b1-f2","duration":"10m"})");
  ASSERT_EQ(started.status, 201) << started.body;
  const json s = json::parse(started.body);
  const std::string id = s["id"];
  EXPECT_EQ(id.size(), 16u);
  EXPECT_EQ(s["scope"], "b1-f2");
  ASSERT_EQ(a.Schedule().size(), 2u);  // the config's, then ours
  EXPECT_EQ(a.Schedule()[1].kind, IncidentKind::kNetworkOutage);

  json listed = a.Get();
  ASSERT_EQ(listed["incidents"].size(), 1u) << listed.dump();  // the config's one is past
  EXPECT_EQ(listed["incidents"][0]["id"], id);
  EXPECT_EQ(listed["incidents"][0]["source"], "api");
  EXPECT_EQ(listed["incidents"][0]["phase"], "active");
  EXPECT_EQ(listed["incidents"][0]["scope"], "b01-f02");
  EXPECT_EQ(listed["incidents"][0]["devices"], 25);

  // A reload of the file keeps it.
  Config reloaded = a.cfg;
  reloaded.incidents.schedule.clear();
  a.api.Apply(reloaded);
  ASSERT_EQ(a.Schedule().size(), 1u);
  EXPECT_EQ(a.Schedule()[0].kind, IncidentKind::kNetworkOutage);

  const AdminResponse ended = a.api.Handle({"DELETE", id, ""});
  ASSERT_EQ(ended.status, 200) << ended.body;
  EXPECT_FALSE(json::parse(ended.body)["ended_ts"].is_null());
  ASSERT_EQ(a.Schedule().size(), 1u);
  EXPECT_LT(a.Schedule()[0].duration, Millis{600'000});  // ends now, with the same id
  EXPECT_EQ(ScheduledAt(a.Schedule()[0], 0).id, std::stoull(id, nullptr, 16));
  EXPECT_EQ(a.api.Handle({"DELETE", id, ""}).status, 409);  // over already
}

TEST(IncidentsApi, AFutureIncidentEndedBeforeItBeginsIsDropped) {
  Api a;
  const AdminResponse started = a.Post(
      R"({"kind":"power_loss","scope":"site","duration":"1h","start":"2099-01-01T00:00:00Z"})");
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string id = json::parse(started.body)["id"];
  EXPECT_EQ(a.Schedule().size(), 2u);
  const AdminResponse ended = a.api.Handle({"DELETE", id, ""});
  ASSERT_EQ(ended.status, 200);
  EXPECT_TRUE(json::parse(ended.body)["ended_ts"].is_null());
  EXPECT_EQ(a.Schedule().size(), 1u);
}

TEST(IncidentsApi, BadRequestsNameTheField) {
  Api a;
  const auto message = [&](const std::string& body) {
    const AdminResponse r = a.Post(body);
    EXPECT_GE(r.status, 400);
    EXPECT_LT(r.status, 500);
    return json::parse(r.body)["message"].get<std::string>();
  };
  EXPECT_NE(message("not json").find("JSON object"), std::string::npos);
  EXPECT_NE(message(R"({"kind":"flood","scope":"b1","duration":"1m"})").find("kind:"),
            std::string::npos);
  EXPECT_NE(message(R"({"kind":"power_loss","scope":"b3","duration":"1m"})").find("beyond"),
            std::string::npos);
  EXPECT_NE(message(R"({"kind":"power_loss","scope":"wing","duration":"1m"})").find("scope:"),
            std::string::npos);
  EXPECT_NE(message(R"({"kind":"power_loss","scope":"b1","duration":"0s"})").find("duration:"),
            std::string::npos);
  EXPECT_NE(message(R"({"kind":"power_loss","scope":"b1"})").find("duration: missing"),
            std::string::npos);
  EXPECT_NE(message(R"({"kind":"power_loss","scope":"b1","duration":"1m","extra":"x"})")
                .find("unknown field \"extra\""),
            std::string::npos);
  EXPECT_NE(message(R"({"kind":"power_loss","scope":"b1","duration":"1m","start":"soon"})")
                .find("start:"),
            std::string::npos);
  const std::string body =
      R"({"kind":"power_loss","scope":"b1","duration":"1m","start":"2099-01-01T00:00:00Z"})";
  EXPECT_EQ(a.Post(body).status, 201);
  EXPECT_EQ(a.Post(body).status, 409);  // the same one twice
  EXPECT_EQ(a.api.Handle({"DELETE", "zz", ""}).status, 404);
  EXPECT_EQ(a.api.Handle({"DELETE", "0123456789abcdef", ""}).status, 404);
  EXPECT_EQ(a.Schedule().size(), 2u);  // nothing else got in
}

}  // namespace
}  // namespace iiot
