// The endpoints of AdminServer: what each route answers, the bearer token check, and the
// errors (404, 405, 413, 500), through a real HTTP client on a free port.
#include "admin/admin_server.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "admin_test_support.h"

namespace iiot {
namespace {

using namespace admin_test;
using json = nlohmann::json;

TEST(AdminServer, MetricsIsPrometheusText) {
  auto server = StartOrFail(kToken, FixedEndpoints());
  ASSERT_TRUE(server);
  auto res = ClientFor(*server).Get("/metrics");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(res->body, "# TYPE iiot_up gauge\niiot_up 1\n");
}

TEST(AdminServer, GetEndpointsAnswerWhatTheAppDecides) {
  auto server = StartOrFail(kToken, FixedEndpoints());
  ASSERT_TRUE(server);
  auto client = ClientFor(*server);

  auto healthz = client.Get("/healthz");
  ASSERT_TRUE(healthz);
  EXPECT_EQ(healthz->status, 200);
  EXPECT_EQ(healthz->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(healthz->body, R"({"ok":true})");

  auto readyz = client.Get("/readyz");
  ASSERT_TRUE(readyz);
  EXPECT_EQ(readyz->status, 503);
  EXPECT_EQ(readyz->body, R"({"ok":false,"reason":"kafka: no broker up"})");

  auto stats = client.Get("/api/v1/stats");
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->status, 200);
  EXPECT_EQ(stats->body, R"({"version":"0.1.0"})");
  EXPECT_EQ(stats->get_header_value("Cache-Control"), "no-store");

  auto config = client.Get("/api/v1/config");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->status, 200);
  EXPECT_EQ(config->get_header_value("Content-Type"), "application/yaml");
  EXPECT_EQ(config->body, "admin:\n  token: <redacted>\n");
}

TEST(AdminServer, HeadIsServedLikeGetWithoutTheBody) {
  auto server = StartOrFail(kToken, FixedEndpoints());
  ASSERT_TRUE(server);
  auto res = ClientFor(*server).Head("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "");
}

TEST(AdminServer, ReloadWithoutAuthorizationIs401) {
  std::atomic<int> reloads{0};
  AdminEndpoints e = FixedEndpoints();
  e.reload = [&reloads] {
    ++reloads;
    return Json(200, "{}");
  };
  auto server = StartOrFail(kToken, std::move(e));
  ASSERT_TRUE(server);
  auto client = ClientFor(*server);

  auto none = client.Post("/api/v1/config/reload");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(none->get_header_value("WWW-Authenticate"), "Bearer realm=\"iiot-producer\"");
  EXPECT_EQ(json::parse(none->body)["error"], "unauthorized");

  auto basic = client.Post("/api/v1/config/reload", {{"Authorization", "Basic dXNlcjpwYXNz"}}, "",
                           "text/plain");
  ASSERT_TRUE(basic);
  EXPECT_EQ(basic->status, 401);

  auto empty =
      client.Post("/api/v1/config/reload", {{"Authorization", "Bearer "}}, "", "text/plain");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 401);
  EXPECT_EQ(reloads.load(), 0);
}

TEST(AdminServer, ReloadWithTheWrongTokenIs403) {
  std::atomic<int> reloads{0};
  AdminEndpoints e = FixedEndpoints();
  e.reload = [&reloads] {
    ++reloads;
    return Json(200, "{}");
  };
  auto server = StartOrFail(kToken, std::move(e));
  ASSERT_TRUE(server);
  auto client = ClientFor(*server);
  for (const std::string wrong : {"wrong", "s3cret-T0ken_for.test", "s3cret-T0ken_for.tests2"}) {
    client.set_bearer_token_auth(wrong);
    auto res = client.Post("/api/v1/config/reload");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403) << wrong;
    EXPECT_EQ(json::parse(res->body)["error"], "forbidden");
    EXPECT_EQ(res->body.find(kToken), std::string::npos);
  }
  EXPECT_EQ(reloads.load(), 0);
}

TEST(AdminServer, ReloadWithTheRightTokenCallsTheApp) {
  std::atomic<int> reloads{0};
  AdminEndpoints e = FixedEndpoints();
  e.reload = [&reloads] {
    ++reloads;
    return Json(200, R"({"result":"applied","version":2})");
  };
  auto server = StartOrFail(kToken, std::move(e));
  ASSERT_TRUE(server);
  auto client = ClientFor(*server);
  client.set_bearer_token_auth(kToken);
  auto res = client.Post("/api/v1/config/reload");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, R"({"result":"applied","version":2})");
  EXPECT_EQ(reloads.load(), 1);

  auto lower = client.Post("/api/v1/config/reload",
                           {{"Authorization", std::string("bearer ") + kToken}}, "", "text/plain");
  ASSERT_TRUE(lower);
  EXPECT_EQ(lower->status, 200);
  EXPECT_EQ(reloads.load(), 2);
}

TEST(AdminServer, ReloadNeedsNoContentLength) {
  // As "curl -X POST" sends it: no Content-Length, so no body. The answer comes at once,
  // well within the 3 s this client waits (the server's read timeout is 5 s).
  std::atomic<int> reloads{0};
  AdminEndpoints e = FixedEndpoints();
  e.reload = [&reloads] {
    ++reloads;
    return Json(200, R"({"result":"applied"})");
  };
  auto server = StartOrFail(kToken, std::move(e));
  ASSERT_TRUE(server);
  const int fd = ConnectTo(server->port(), 3s);
  const std::string response = Exchange(fd,
                                        "POST /api/v1/config/reload HTTP/1.1\r\nHost: x\r\n"
                                        "Authorization: Bearer " +
                                            std::string(kToken) + "\r\nConnection: close\r\n\r\n");
  ::close(fd);
  EXPECT_EQ(response.substr(0, 15), "HTTP/1.1 200 OK") << response;
  EXPECT_EQ(reloads.load(), 1);
}

TEST(AdminServer, ReloadIsDisabledWithoutAConfiguredToken) {
  std::atomic<int> reloads{0};
  AdminEndpoints e = FixedEndpoints();
  e.reload = [&reloads] {
    ++reloads;
    return Json(200, "{}");
  };
  auto server = StartOrFail("", std::move(e));
  ASSERT_TRUE(server);
  auto client = ClientFor(*server);
  for (const bool with_header : {false, true}) {
    if (with_header) client.set_bearer_token_auth("anything");
    auto res = client.Post("/api/v1/config/reload");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403);
    const json body = json::parse(res->body);
    EXPECT_EQ(body["error"], "reload_disabled");
    EXPECT_NE(body["message"].get<std::string>().find("IIOT_ADMIN_TOKEN"), std::string::npos);
    EXPECT_NE(body["message"].get<std::string>().find("admin.token_file"), std::string::npos);
  }
  EXPECT_EQ(reloads.load(), 0);
}

TEST(AdminServer, FatalDrillIsGuardedByTheTokenLikeReload) {
  std::atomic<int> drills{0};
  AdminEndpoints e = FixedEndpoints();
  e.fatal_drill = [&drills] {
    ++drills;
    return Json(202, R"({"raised":true})");
  };
  auto server = StartOrFail(kToken, std::move(e));
  ASSERT_TRUE(server);
  auto client = ClientFor(*server);
  auto none = client.Post("/api/v1/drill/fatal-error");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  client.set_bearer_token_auth("wrong");
  auto wrong = client.Post("/api/v1/drill/fatal-error");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 403);
  EXPECT_EQ(drills.load(), 0);
  client.set_bearer_token_auth(kToken);
  auto right = client.Post("/api/v1/drill/fatal-error");
  ASSERT_TRUE(right);
  EXPECT_EQ(right->status, 202);
  EXPECT_EQ(drills.load(), 1);
  auto get = client.Get("/api/v1/drill/fatal-error");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 405);
}

TEST(AdminServer, FatalDrillIsDisabledWithoutAConfiguredToken) {
  std::atomic<int> drills{0};
  AdminEndpoints e = FixedEndpoints();
  e.fatal_drill = [&drills] {
    ++drills;
    return Json(202, "{}");
  };
  auto server = StartOrFail("", std::move(e));
  ASSERT_TRUE(server);
  auto client = ClientFor(*server);
  client.set_bearer_token_auth("anything");
  auto res = client.Post("/api/v1/drill/fatal-error");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(json::parse(res->body)["error"], "drill_disabled");
  EXPECT_EQ(drills.load(), 0);
}

TEST(AdminServer, ReloadRefusesALargeBody) {
  auto server = StartOrFail(kToken, FixedEndpoints());
  ASSERT_TRUE(server);
  auto client = ClientFor(*server);
  client.set_bearer_token_auth(kToken);
  auto res = client.Post("/api/v1/config/reload", std::string(8 * 1024, 'x'), "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(json::parse(res->body)["error"], "payload_too_large");
}

TEST(AdminServer, UnknownPathIs404Json) {
  auto server = StartOrFail(kToken, FixedEndpoints());
  ASSERT_TRUE(server);
  auto client = ClientFor(*server);
  for (const char* path : {"/", "/metrics/", "/api/v1/nothing", "/api/v1/config/reload/x"}) {
    auto res = client.Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 404) << path;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
    const json body = json::parse(res->body);
    EXPECT_EQ(body["error"], "not_found");
    EXPECT_EQ(body["message"], std::string("no endpoint at ") + path);
  }
}

TEST(AdminServer, AnEndpointTheAppLeftEmptyIs404) {
  AdminEndpoints e = FixedEndpoints();
  e.stats = nullptr;
  auto server = StartOrFail(kToken, std::move(e));
  ASSERT_TRUE(server);
  auto res = ClientFor(*server).Get("/api/v1/stats");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
}

TEST(AdminServer, WrongMethodIs405WithAllow) {
  auto server = StartOrFail(kToken, FixedEndpoints());
  ASSERT_TRUE(server);
  auto client = ClientFor(*server);

  auto post = client.Post("/metrics");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->get_header_value("Allow"), "GET, HEAD");
  EXPECT_EQ(json::parse(post->body)["error"], "method_not_allowed");

  auto del = client.Delete("/api/v1/config");
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 405);
  EXPECT_EQ(del->get_header_value("Allow"), "GET, HEAD");

  auto get = client.Get("/api/v1/config/reload");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 405);
  EXPECT_EQ(get->get_header_value("Allow"), "POST");
}

TEST(AdminServer, AnEndpointThatThrowsIs500AndTheServerCarriesOn) {
  AdminEndpoints e = FixedEndpoints();
  e.stats = []() -> AdminResponse { throw std::runtime_error("stats are not ready"); };
  e.metrics = []() -> std::string { throw 42; };
  auto server = StartOrFail(kToken, std::move(e));
  ASSERT_TRUE(server);
  auto client = ClientFor(*server);

  auto stats = client.Get("/api/v1/stats");
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->status, 500);
  const json body = json::parse(stats->body);
  EXPECT_EQ(body["error"], "internal");
  EXPECT_EQ(body["message"], "/api/v1/stats failed: stats are not ready");

  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 500);
  EXPECT_EQ(json::parse(metrics->body)["message"], "/metrics failed");

  auto healthz = client.Get("/healthz");
  ASSERT_TRUE(healthz);
  EXPECT_EQ(healthz->status, 200);
}

TEST(AdminServer, TheTokenAppearsInNoResponse) {
  auto server = StartOrFail(kToken, FixedEndpoints());
  ASSERT_TRUE(server);
  auto client = ClientFor(*server);
  client.set_bearer_token_auth("wrong");
  std::vector<httplib::Result> results;
  results.push_back(client.Post("/api/v1/config/reload"));
  results.push_back(client.Get("/api/v1/config/reload"));
  results.push_back(client.Get("/nothing"));
  results.push_back(client.Post("/api/v1/config/reload", std::string(8192, 'x'), "text/plain"));
  for (const auto& res : results) {
    ASSERT_TRUE(res);
    EXPECT_EQ(res->body.find(kToken), std::string::npos);
    for (const auto& [name, value] : res->headers) {
      EXPECT_EQ(value.find(kToken), std::string::npos) << name;
    }
  }
}

}  // namespace
}  // namespace iiot
