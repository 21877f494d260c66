// HttpListener: slow, idle and malformed clients cannot hold the admin port, and every
// request is framed once.
#include "admin/http_listener.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "admin_test_support.h"

namespace iiot {
namespace {

using namespace std::chrono_literals;
using admin_test::ConnectTo;
using admin_test::Exchange;

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A listener on a free port, serving /healthz ("ok"), /count (counts its calls) and /slow
// (answers once `release` is set), on its own thread until destroyed.
class Listening {
 public:
  explicit Listening(HttpListener::Limits limits) : http_(limits) {
    http_.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("ok", "text/plain");
    });
    http_.Get("/count", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::to_string(++counted), "text/plain");
    });
    http_.Get("/slow", [this](const httplib::Request&, httplib::Response& res) {
      ++slow_inside;
      release.wait();
      res.set_content("late", "text/plain");
    });
    http_.Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(req.body, "text/plain");
    });
    const Result<int> port = http_.Bind("127.0.0.1", 0);
    EXPECT_TRUE(port) << port.error().message;
    port_ = port ? *port : 0;
    loop_ = std::thread([this] { http_.Run(); });
  }
  ~Listening() {
    release_now();
    http_.Shutdown();
    loop_.join();
  }

  int port() const { return port_; }
  void release_now() {
    if (!released_.exchange(true)) release_promise_.set_value();
  }

 private:
  std::promise<void> release_promise_;
  std::atomic<bool> released_{false};

 public:
  std::shared_future<void> release{release_promise_.get_future().share()};
  std::atomic<int> counted{0};
  std::atomic<int> slow_inside{0};

 private:
  HttpListener http_;
  int port_ = 0;
  std::thread loop_;
};

HttpListener::Limits Small() {
  HttpListener::Limits limits;
  limits.request_timeout = 400ms;
  limits.keep_alive_idle = 200ms;
  limits.write_timeout = 400ms;
  limits.linger = 200ms;
  return limits;
}

void SendAll(int fd, const std::string& bytes) {
  ASSERT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(bytes.size()));
}

// Reads until `bytes` have arrived in all, or the connection ends or times out.
std::string ReadAtLeast(int fd, size_t bytes) {
  std::string got;
  char buf[4096];
  for (ssize_t n; got.size() < bytes && (n = ::recv(fd, buf, sizeof(buf), 0)) > 0;) {
    got.append(buf, static_cast<size_t>(n));
  }
  return got;
}

size_t StatusLines(const std::string& response) {
  size_t count = 0;
  for (size_t at = response.find("HTTP/1.1 "); at != std::string::npos;
       at = response.find("HTTP/1.1 ", at + 1)) {
    ++count;
  }
  return count;
}

TEST(HttpListener, IdleAndTricklingClientsDoNotDelayOthers) {
  Listening server(HttpListener::Limits{});  // the default 5 s request deadline
  std::vector<int> idle;
  for (int i = 0; i < 200; ++i) idle.push_back(ConnectTo(server.port()));
  std::atomic<bool> stop{false};
  std::vector<std::thread> tricklers;
  for (int i = 0; i < 8; ++i) {
    tricklers.emplace_back([&] {
      const int fd = ConnectTo(server.port());
      const std::string request =
          "GET /count HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(200, 'p') + "\r\n\r\n";
      for (size_t k = 0; k < request.size() && !stop; ++k) {
        ::send(fd, &request[k], 1, MSG_NOSIGNAL);
        std::this_thread::sleep_for(20ms);
      }
      ::close(fd);
    });
  }
  std::this_thread::sleep_for(200ms);
  double slowest = 0;
  for (int i = 0; i < 20; ++i) {
    httplib::Client client("127.0.0.1", server.port());
    client.set_connection_timeout(5s);
    client.set_read_timeout(5s);
    const auto start = std::chrono::steady_clock::now();
    auto res = client.Get("/healthz");
    slowest = std::max(slowest, SecondsSince(start));
    ASSERT_TRUE(res) << "request " << i << " failed";
    EXPECT_EQ(res->status, 200);
  }
  stop = true;
  for (std::thread& t : tricklers) t.join();
  for (const int fd : idle) ::close(fd);
  // One thread per connection would have kept these waiting for seconds; a loop answers at
  // once. The bound is far above what this takes, to stay clear of a busy machine.
  EXPECT_LT(slowest, 1.0);
  EXPECT_EQ(server.counted.load(), 0);  // no trickled request completed yet
}

TEST(HttpListener, ATricklingRequestMeetsTheWholeRequestDeadline) {
  Listening server(Small());
  const int fd = ConnectTo(server.port(), 5s);
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    const std::string request = "GET /count HTTP/1.1\r\nX-Pad: " + std::string(400, 'p');
    for (size_t k = 0; k < request.size() && !stop; ++k) {
      ::send(fd, &request[k], 1, MSG_NOSIGNAL);
      std::this_thread::sleep_for(20ms);
    }
  });
  const auto start = std::chrono::steady_clock::now();
  const std::string response = ReadAtLeast(fd, 1);
  const double took = SecondsSince(start);
  stop = true;
  trickle.join();
  ::close(fd);
  EXPECT_EQ(response.substr(0, 12), "HTTP/1.1 408") << response;
  // 400 ms deadline; bytes kept coming every 20 ms for 8 s.
  EXPECT_LT(took, 3.0);
  EXPECT_EQ(server.counted.load(), 0);
}

TEST(HttpListener, AKeepAliveConnectionClosesAfterItsIdleTime) {
  Listening server(Small());
  const int fd = ConnectTo(server.port(), 5s);
  SendAll(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string response = ReadAtLeast(fd, 1);
  EXPECT_EQ(response.substr(0, 12), "HTTP/1.1 200") << response;
  const auto start = std::chrono::steady_clock::now();
  char byte;
  EXPECT_EQ(::recv(fd, &byte, 1, 0), 0);  // closed by the server
  EXPECT_LT(SecondsSince(start), 3.0);
  ::close(fd);
}

TEST(HttpListener, PastTheCapTheConnectionWaitingLongestMakesRoom) {
  HttpListener::Limits limits = Small();
  limits.request_timeout = 10s;
  limits.max_connections = 4;
  Listening server(limits);
  std::vector<int> idle;
  for (int i = 0; i < 4; ++i) {
    idle.push_back(ConnectTo(server.port(), 5s));
    std::this_thread::sleep_for(20ms);  // accepted in this order
  }
  const int fd = ConnectTo(server.port(), 5s);
  const std::string response = Exchange(fd, "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n");
  ::close(fd);
  EXPECT_EQ(response.substr(0, 12), "HTTP/1.1 200") << response;
  char byte;
  EXPECT_EQ(::recv(idle[0], &byte, 1, 0), 0);  // the oldest was closed
  for (const int i : idle) ::close(i);
}

TEST(HttpListener, WhenEveryConnectionIsBeingServedANewOneIsRefusedWith503) {
  HttpListener::Limits limits = Small();
  limits.request_timeout = 10s;
  limits.write_timeout = 10s;
  limits.max_connections = 2;
  limits.threads = 2;
  Listening server(limits);
  std::vector<std::future<std::string>> slow;
  for (int i = 0; i < 2; ++i) {
    slow.push_back(std::async(std::launch::async, [port = server.port()] {
      const int fd = ConnectTo(port, 10s);
      std::string r = Exchange(fd, "GET /slow HTTP/1.1\r\nConnection: close\r\n\r\n");
      ::close(fd);
      return r;
    }));
  }
  for (int i = 0; i < 500 && server.slow_inside.load() < 2; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(server.slow_inside.load(), 2);
  const int fd = ConnectTo(server.port(), 5s);
  const std::string refused = ReadAtLeast(fd, 1 << 20);
  ::close(fd);
  EXPECT_EQ(refused.substr(0, 12), "HTTP/1.1 503") << refused;
  EXPECT_NE(refused.find("Retry-After: 1"), std::string::npos) << refused;
  EXPECT_NE(refused.find("\"too_many_connections\""), std::string::npos) << refused;
  server.release_now();
  for (auto& s : slow) EXPECT_EQ(s.get().substr(0, 12), "HTTP/1.1 200");
}

TEST(HttpListener, ABadRequestGetsOneErrorThenTheConnectionCloses) {
  Listening server(Small());
  for (const std::string bad : {
           "GET /count HTTP/1.1\r\nno colon here\r\nGET /count HTTP/1.1\r\n\r\n",
           "GARBAGE\r\nGET /count HTTP/1.1\r\n\r\nGET /count HTTP/1.1\r\n\r\n",
           "GET /count HTTP/1.1\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n"
           "GET /count HTTP/1.1\r\n\r\n",
       }) {
    const int fd = ConnectTo(server.port(), 5s);
    const std::string response = Exchange(fd, bad);
    ::close(fd);
    EXPECT_EQ(response.substr(0, 12), "HTTP/1.1 400") << response;
    EXPECT_EQ(StatusLines(response), 1u) << response;
    EXPECT_NE(response.find("Connection: close"), std::string::npos) << response;
  }
  EXPECT_EQ(server.counted.load(), 0);
}

TEST(HttpListener, AMethodHttplibDoesNotKnowGetsOne400ThenClose) {
  Listening server(Small());
  const int fd = ConnectTo(server.port(), 5s);
  const std::string response =
      Exchange(fd, "FOO /count HTTP/1.1\r\n\r\nGET /count HTTP/1.1\r\n\r\n");
  ::close(fd);
  EXPECT_EQ(response.substr(0, 12), "HTTP/1.1 400") << response;
  EXPECT_EQ(StatusLines(response), 1u) << response;
  EXPECT_EQ(server.counted.load(), 0);
}

TEST(HttpListener, ConnectionCloseIsHonouredInAnyCase) {
  Listening server(Small());
  const int fd = ConnectTo(server.port(), 5s);
  const auto start = std::chrono::steady_clock::now();
  const std::string response = Exchange(fd, "GET /healthz HTTP/1.1\r\nConnection: CLOSE\r\n\r\n");
  ::close(fd);
  EXPECT_EQ(response.substr(0, 12), "HTTP/1.1 200") << response;
  EXPECT_LT(SecondsSince(start), 0.15);  // closed at once, not after the 200 ms idle time
}

TEST(HttpListener, EmptyLinesAfterABodyDoNotStartARequest) {
  Listening server(Small());
  const int fd = ConnectTo(server.port(), 5s);
  SendAll(fd, "POST /echo HTTP/1.1\r\nContent-Length: 2\r\n\r\nab\r\n");
  const std::string response = ReadAtLeast(fd, 1);
  EXPECT_EQ(response.substr(0, 12), "HTTP/1.1 200") << response;
  // The keep-alive idle time closes it, without a 408 for a request never started.
  const std::string rest = ReadAtLeast(fd, 1 << 20);
  ::close(fd);
  EXPECT_EQ(rest, "");
}

TEST(HttpListener, AGetBodyIsReadAsTheBodyNotAsASecondRequest) {
  Listening server(Small());
  const std::string body = "GET /count HTTP/1.1\r\n\r\n";
  const int fd = ConnectTo(server.port(), 5s);
  const std::string response =
      Exchange(fd, "GET /healthz HTTP/1.1\r\nConnection: close\r\nContent-Length: " +
                       std::to_string(body.size()) + "\r\n\r\n" + body);
  ::close(fd);
  EXPECT_EQ(StatusLines(response), 1u) << response;
  EXPECT_EQ(response.substr(0, 12), "HTTP/1.1 200") << response;
  EXPECT_EQ(server.counted.load(), 0);
}

TEST(HttpListener, ANegativeContentLengthIsRefusedAtOnce) {
  Listening server(HttpListener::Limits{});  // 5 s deadlines: an answer now is no timeout
  const int fd = ConnectTo(server.port(), 10s);
  const auto start = std::chrono::steady_clock::now();
  const std::string response = Exchange(fd, "POST /echo HTTP/1.1\r\nContent-Length: -1\r\n\r\n");
  ::close(fd);
  EXPECT_EQ(response.substr(0, 12), "HTTP/1.1 400") << response;
  EXPECT_LT(SecondsSince(start), 2.5);
}

TEST(HttpListener, ExpectContinueIsAnsweredBeforeTheBody) {
  Listening server(Small());
  const int fd = ConnectTo(server.port(), 5s);
  SendAll(fd, "POST /echo HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
  const std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";
  EXPECT_EQ(ReadAtLeast(fd, interim.size()), interim);
  SendAll(fd, "hello");
  const std::string response = ReadAtLeast(fd, 1);
  ::close(fd);
  EXPECT_EQ(response.substr(0, 12), "HTTP/1.1 200") << response;
  EXPECT_TRUE(response.ends_with("hello")) << response;
}

TEST(HttpListener, PipelinedRequestsAreAnsweredInOrder) {
  Listening server(Small());
  const int fd = ConnectTo(server.port(), 5s);
  const std::string response =
      Exchange(fd, "GET /count HTTP/1.1\r\n\r\nGET /count HTTP/1.1\r\nConnection: close\r\n\r\n");
  ::close(fd);
  EXPECT_EQ(StatusLines(response), 2u) << response;
  const size_t first = response.find("\r\n\r\n1");
  const size_t second = response.find("\r\n\r\n2");
  EXPECT_NE(first, std::string::npos) << response;
  EXPECT_NE(second, std::string::npos) << response;
  EXPECT_LT(first, second);
}

TEST(HttpListener, HundredsOfConnectionsAtOnceAreAllServed) {
  Listening server(HttpListener::Limits{});
  constexpr int kClients = 300;
  std::vector<int> fds;
  for (int i = 0; i < kClients; ++i) {
    fds.push_back(ConnectTo(server.port(), 10s));
    SendAll(fds.back(), "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n");
  }
  int ok = 0;
  for (const int fd : fds) {
    const std::string response = ReadAtLeast(fd, 1 << 20);
    ok += response.starts_with("HTTP/1.1 200") ? 1 : 0;
    ::close(fd);
  }
  EXPECT_EQ(ok, kClients);
}

}  // namespace
}  // namespace iiot
