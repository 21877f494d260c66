// Shared by the admin tests: fixed endpoints, a server on a free port, clients.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>

#include "admin/admin_server.h"

namespace iiot::admin_test {

using namespace std::chrono_literals;

inline constexpr const char* kToken = "s3cret-T0ken_for.tests";

inline AdminResponse Json(int status, std::string body) {
  return AdminResponse{status, "application/json", std::move(body)};
}

// Endpoints answering fixed texts; tests replace the ones they look at.
inline AdminEndpoints FixedEndpoints() {
  AdminEndpoints e;
  e.metrics = [] { return std::string("# TYPE iiot_up gauge\niiot_up 1\n"); };
  e.healthz = [] { return Json(200, R"({"ok":true})"); };
  e.readyz = [] { return Json(503, R"({"ok":false,"reason":"kafka: no broker up"})"); };
  e.stats = [] { return Json(200, R"({"version":"0.1.0"})"); };
  e.config = [] { return AdminResponse{200, "application/yaml", "admin:\n  token: <redacted>\n"}; };
  e.reload = [] { return Json(200, R"({"result":"applied","version":2})"); };
  return e;
}

inline std::unique_ptr<AdminServer> StartOrFail(std::string token, AdminEndpoints endpoints) {
  auto server = AdminServer::Start("127.0.0.1:0", std::move(token), std::move(endpoints));
  EXPECT_TRUE(server) << server.error().message;
  return server ? std::move(*server) : nullptr;
}

inline httplib::Client ClientFor(const AdminServer& server) {
  httplib::Client client("127.0.0.1", server.port());
  client.set_connection_timeout(5s);
  client.set_read_timeout(10s);
  return client;
}

// A raw TCP connection to 127.0.0.1:port whose reads give up after `recv_timeout`, for
// requests httplib::Client would not send.
inline int ConnectTo(int port, std::chrono::seconds recv_timeout = 10s) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{};
  tv.tv_sec = recv_timeout.count();
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  return fd;
}

// Sends `request` and reads until the server closes the connection or the read times out.
inline std::string Exchange(int fd, const std::string& request) {
  EXPECT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(request.size()));
  std::string response;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof(buf), 0)) > 0;) {
    response.append(buf, static_cast<size_t>(n));
  }
  return response;
}

}  // namespace iiot::admin_test
