// `iiot-producer healthcheck` against a real HTTP server on the loopback: the exit code
// says whether /healthz answered 200, at the address admin.addr names.
#include "app/health_check.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <string>
#include <thread>

namespace iiot {
namespace {

// An HTTP server on 127.0.0.1 (any free port) whose /healthz answers `status`.
class HealthServer {
 public:
  explicit HealthServer(int status) {
    server_.Get("/healthz", [status](const httplib::Request&, httplib::Response& res) {
      res.status = status;
      res.set_content("{}", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() ends only a running loop: wait for it to run.
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~HealthServer() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

Config At(const std::string& addr) {
  Config cfg;
  cfg.admin.addr = addr;
  return cfg;
}

TEST(HealthCheck, HealthyWhenHealthzAnswers200) {
  HealthServer server(200);
  EXPECT_EQ(RunHealthCheck(At("127.0.0.1:" + std::to_string(server.port()))), 0);
}

TEST(HealthCheck, AWildcardAddressIsAskedOnTheLoopback) {
  HealthServer server(200);
  EXPECT_EQ(RunHealthCheck(At("0.0.0.0:" + std::to_string(server.port()))), 0);
}

TEST(HealthCheck, UnhealthyWhenHealthzAnswersAnythingElse) {
  HealthServer server(503);
  EXPECT_EQ(RunHealthCheck(At("127.0.0.1:" + std::to_string(server.port()))), 1);
}

TEST(HealthCheck, UnhealthyWhenNothingListens) {
  int port = 0;
  {
    HealthServer gone(200);  // a port that was free a moment ago, closed again
    port = gone.port();
  }
  EXPECT_EQ(RunHealthCheck(At("127.0.0.1:" + std::to_string(port))), 1);
}

TEST(HealthCheck, NothingToAskIsAUsageError) {
  EXPECT_EQ(RunHealthCheck(At("off")), 2);
  EXPECT_EQ(RunHealthCheck(At("127.0.0.1:0")), 2);  // any free port: which one?
}

}  // namespace
}  // namespace iiot
