// AdminServer's life: binding (and failing to), stopping promptly whatever the clients
// do, serving requests concurrently, and bounds on what one request may send.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "admin/admin_server.h"
#include "admin_test_support.h"

namespace iiot {
namespace {

using namespace admin_test;

// A listening TCP socket on 127.0.0.1 with a free port, held by the test.
struct TakenPort {
  TakenPort() {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(fd, 4) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ADD_FAILURE() << "cannot take a port";
    }
    port = ntohs(addr.sin_port);
  }
  ~TakenPort() { ::close(fd); }
  int fd = -1;
  int port = 0;
};

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(AdminServer, ReportsTheBoundAddress) {
  auto server = StartOrFail(kToken, FixedEndpoints());
  ASSERT_TRUE(server);
  EXPECT_GT(server->port(), 0);
  EXPECT_EQ(server->address(), "127.0.0.1:" + std::to_string(server->port()));
}

TEST(AdminServer, WritesAnIpv6AddressInBrackets) {
  auto started = AdminServer::Start("[::1]:0", kToken, FixedEndpoints());
  if (!started) GTEST_SKIP() << "no IPv6 loopback here: " << started.error().message;
  const auto& server = *started;
  EXPECT_EQ(server->address(), "[::1]:" + std::to_string(server->port()));
  httplib::Client client("::1", server->port());
  auto res = client.Get("/healthz");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
}

TEST(AdminServer, APortAlreadyTakenIsAnErrorNamingTheAddress) {
  TakenPort taken;
  const std::string addr = "127.0.0.1:" + std::to_string(taken.port);
  auto server = AdminServer::Start(addr, kToken, FixedEndpoints());
  ASSERT_FALSE(server);
  EXPECT_EQ(server.error().message, "admin.addr " + addr + ": address already in use");
}

TEST(AdminServer, TwoServersCannotShareAPort) {
  auto first = StartOrFail(kToken, FixedEndpoints());
  ASSERT_TRUE(first);
  auto second = AdminServer::Start(first->address(), kToken, FixedEndpoints());
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().message, "admin.addr " + first->address() + ": address already in use");
}

TEST(AdminServer, AMalformedAddressIsAnError) {
  for (const std::string addr :
       {"127.0.0.1", "127.0.0.1:", ":8080", "127.0.0.1:65536", "127.0.0.1:http", "::1:8080"}) {
    auto server = AdminServer::Start(addr, kToken, FixedEndpoints());
    ASSERT_FALSE(server) << addr;
    EXPECT_EQ(
        server.error().message,
        "admin.addr " + addr + ": is not host:port (port 0..65535; an IPv6 host in brackets)");
  }
}

TEST(AdminServer, AnUnknownHostIsAnError) {
  auto server = AdminServer::Start("no-such-host.invalid:0", kToken, FixedEndpoints());
  ASSERT_FALSE(server);
  const std::string& error = server.error().message;
  EXPECT_EQ(error.rfind(
                "admin.addr no-such-host.invalid:0: cannot resolve \"no-such-host.invalid\": ", 0),
            0u)
      << error;
}

TEST(AdminServer, StopsPromptlyWhileAKeepAliveClientIsConnected) {
  auto server = StartOrFail(kToken, FixedEndpoints());
  ASSERT_TRUE(server);
  auto client = ClientFor(*server);
  client.set_keep_alive(true);
  for (int i = 0; i < 3; ++i) {
    auto res = client.Get("/healthz");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
  }
  // The connection now waits for a next request, up to the 2 s keep-alive idle time.
  const auto start = std::chrono::steady_clock::now();
  server.reset();
  EXPECT_LT(SecondsSince(start), 1.0);
}

TEST(AdminServer, StopsPromptlyWhileAClientIsHalfwayThroughARequest) {
  auto server = StartOrFail(kToken, FixedEndpoints());
  ASSERT_TRUE(server);
  const int fd = ConnectTo(server->port());
  const std::string partial = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  ASSERT_EQ(::send(fd, partial.data(), partial.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(partial.size()));
  std::this_thread::sleep_for(100ms);  // let a server thread pick the connection up
  // The server thread waits for the rest of the request, up to the 5 s read timeout.
  const auto start = std::chrono::steady_clock::now();
  server.reset();
  EXPECT_LT(SecondsSince(start), 1.0);
  ::close(fd);
}

TEST(AdminServer, ARequestInProgressStillGetsItsResponseAtStop) {
  std::mutex mu;
  std::condition_variable cv;
  bool entered = false;
  AdminEndpoints e = FixedEndpoints();
  e.stats = [&] {
    {
      std::lock_guard<std::mutex> lock(mu);
      entered = true;
    }
    cv.notify_all();
    std::this_thread::sleep_for(200ms);
    return Json(200, R"({"late":true})");
  };
  auto server = StartOrFail(kToken, std::move(e));
  ASSERT_TRUE(server);
  auto pending = std::async(std::launch::async, [port = server->port()] {
    httplib::Client client("127.0.0.1", port);
    auto res = client.Get("/api/v1/stats");
    return res ? res->status * 1000 + static_cast<int>(res->body.size()) : -1;
  });
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, 10s, [&] { return entered; }));
  }
  server.reset();
  EXPECT_EQ(pending.get(), 200 * 1000 + static_cast<int>(std::string(R"({"late":true})").size()));
}

TEST(AdminServer, ATransferEncodedBodyIsRefusedWithOne501) {
  // Chunked bodies are not read: a request framed by Transfer-Encoding is refused before
  // any endpoint runs, and what follows it is not read as a request of its own.
  std::atomic<int> reloads{0};
  AdminEndpoints e = FixedEndpoints();
  e.reload = [&reloads] {
    ++reloads;
    return Json(200, "{}");
  };
  auto server = StartOrFail(kToken, std::move(e));
  ASSERT_TRUE(server);
  const std::string request =
      "POST /api/v1/config/reload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
      std::string(kToken) +
      "\r\nTransfer-Encoding: chunked\r\n\r\n"
      "1d\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n\r\n0\r\n\r\n";
  const int fd = ConnectTo(server->port());
  const std::string response = Exchange(fd, request);
  ::close(fd);
  EXPECT_EQ(response.substr(0, 12), "HTTP/1.1 501") << response;
  EXPECT_EQ(response.find("HTTP/1.1", 1), std::string::npos) << response;
  EXPECT_NE(response.find("\"not_implemented\""), std::string::npos) << response;
  EXPECT_EQ(reloads.load(), 0);
}

TEST(AdminServer, ServesRequestsConcurrently) {
  // healthz returns only once two calls are inside it at the same time.
  std::mutex mu;
  std::condition_variable cv;
  int inside = 0;
  std::atomic<int> stats_calls{0};
  AdminEndpoints e = FixedEndpoints();
  e.healthz = [&] {
    std::unique_lock<std::mutex> lock(mu);
    ++inside;
    cv.notify_all();
    const bool met = cv.wait_for(lock, 10s, [&] { return inside >= 2; });
    return Json(met ? 200 : 500, "{}");
  };
  e.stats = [&] {
    ++stats_calls;
    return Json(200, R"({"version":"0.1.0"})");
  };
  auto server = StartOrFail(kToken, std::move(e));
  ASSERT_TRUE(server);

  auto get = [port = server->port()](const char* path) {
    httplib::Client client("127.0.0.1", port);
    auto res = client.Get(path);
    return res ? res->status : -1;
  };
  auto a = std::async(std::launch::async, get, "/healthz");
  auto b = std::async(std::launch::async, get, "/healthz");
  EXPECT_EQ(a.get(), 200);
  EXPECT_EQ(b.get(), 200);

  constexpr int kThreads = 8;
  constexpr int kRequests = 25;
  std::vector<std::future<int>> oks;
  for (int t = 0; t < kThreads; ++t) {
    oks.push_back(std::async(std::launch::async, [port = server->port()] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      int ok = 0;
      for (int i = 0; i < kRequests; ++i) {
        auto res = client.Get("/api/v1/stats");
        if (res && res->status == 200 && res->body == R"({"version":"0.1.0"})") ++ok;
      }
      return ok;
    }));
  }
  int total = 0;
  for (auto& ok : oks) total += ok.get();
  EXPECT_EQ(total, kThreads * kRequests);
  EXPECT_EQ(stats_calls.load(), kThreads * kRequests);
}

}  // namespace
}  // namespace iiot
