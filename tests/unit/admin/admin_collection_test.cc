// The request-aware route of the admin server (/api/v1/incidents): GET without a token,
// POST and DELETE only with it, the body and the item reach the endpoint, and methods the
// collection or an item does not take are 405 with Allow.
#include <gtest/gtest.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "admin_test_support.h"

namespace iiot {
namespace {

using admin_test::ClientFor;
using admin_test::FixedEndpoints;
using admin_test::kToken;
using admin_test::StartOrFail;
using json = nlohmann::json;

struct Seen {
  std::mutex mu;
  std::string method, item, body;
};

AdminEndpoints Recording(Seen* seen) {
  AdminEndpoints e = FixedEndpoints();
  e.incidents = [seen](const AdminRequest& r) {
    std::lock_guard<std::mutex> lock(seen->mu);
    seen->method = r.method;
    seen->item = r.item;
    seen->body = r.body;
    return AdminResponse{200, "application/json", R"({"ok":true})"};
  };
  return e;
}

TEST(AdminCollection, GetNeedsNoTokenPostAndDeleteDo) {
  Seen seen;
  auto server = StartOrFail(kToken, Recording(&seen));
  ASSERT_TRUE(server);
  auto client = ClientFor(*server);

  auto get = client.Get("/api/v1/incidents");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(seen.method, "GET");
  EXPECT_EQ(seen.item, "");

  auto post = client.Post("/api/v1/incidents", R"({"kind":"power_loss"})", "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 401);
  EXPECT_EQ(seen.method, "GET");  // not called

  const httplib::Headers auth = {{"Authorization", std::string("Bearer ") + kToken}};
  post = client.Post("/api/v1/incidents", auth, R"({"kind":"power_loss"})", "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 200);
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.body, R"({"kind":"power_loss"})");

  auto del = client.Delete("/api/v1/incidents/00000000000000ab");
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 401);
  del = client.Delete("/api/v1/incidents/00000000000000ab", auth);
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 200);
  EXPECT_EQ(seen.method, "DELETE");
  EXPECT_EQ(seen.item, "00000000000000ab");

  auto wrong = client.Delete("/api/v1/incidents/00000000000000ab", {{"Authorization", "Bearer x"}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 403);
}

TEST(AdminCollection, MethodsTheCollectionOrAnItemDoesNotTakeAre405) {
  Seen seen;
  auto server = StartOrFail(kToken, Recording(&seen));
  ASSERT_TRUE(server);
  auto client = ClientFor(*server);
  const httplib::Headers auth = {{"Authorization", std::string("Bearer ") + kToken}};

  auto del = client.Delete("/api/v1/incidents", auth);
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 405);
  EXPECT_EQ(del->get_header_value("Allow"), "GET, HEAD, POST");

  auto post = client.Post("/api/v1/incidents/00000000000000ab", auth, "{}", "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->get_header_value("Allow"), "DELETE");
  auto get_item = client.Get("/api/v1/incidents/00000000000000ab");
  ASSERT_TRUE(get_item);
  EXPECT_EQ(get_item->status, 405);

  auto put = client.Put("/api/v1/incidents", auth, "{}", "application/json");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 405);
  EXPECT_EQ(json::parse(put->body)["error"], "method_not_allowed");
  EXPECT_EQ(seen.method, "");  // never called

  // A path that only starts like the collection is not it.
  auto other = client.Get("/api/v1/incidentsX");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 404);
}

TEST(AdminCollection, WithoutATokenWritesAreDisabled) {
  Seen seen;
  auto server = StartOrFail("", Recording(&seen));
  ASSERT_TRUE(server);
  auto client = ClientFor(*server);
  auto post = client.Post("/api/v1/incidents", "{}", "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 403);
  EXPECT_EQ(json::parse(post->body)["error"], "incidents_disabled");
  auto get = client.Get("/api/v1/incidents");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 200);
}

}  // namespace
}  // namespace iiot
