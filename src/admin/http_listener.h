// HttpListener: the httplib server under AdminServer, with connection handling of its own
// so that stopping is prompt:
//   - connections are served on a fixed number of named threads ("iiot-admin-http");
//   - every wait on a connection (for the next keep-alive request, for the rest of a
//     request, for room to write) is bounded by a timeout and also ends at Shutdown,
//     instead of httplib's fixed waits (its keep-alive wait alone lasts up to 5 s);
//   - a response whose socket can take it is still written at Shutdown.
// Requests are parsed, routed and answered by httplib (Server::process_request).
//
// Thread-safety: configure it (routes, options, bind) before listen_after_bind, which then
// runs the accept loop on the calling thread until Shutdown. Shutdown may be called from
// any thread once is_running() is true; listen_after_bind returns after every connection
// thread has finished.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>

namespace iiot {

class HttpListener final : public httplib::Server {
 public:
  struct Limits {
    size_t threads = 4;                       // connections served at once
    std::chrono::seconds read_timeout{5};     // longest wait for request bytes
    std::chrono::seconds write_timeout{5};    // longest wait to write response bytes
    std::chrono::seconds keep_alive_idle{2};  // idle time before a connection closes
    size_t keep_alive_max_requests = 100;     // requests per connection
    size_t max_request_bytes = 64 * 1024;     // read per request, whatever its framing
  };

  // Throws std::system_error when the wake-up descriptor cannot be created.
  explicit HttpListener(Limits limits);
  ~HttpListener() override;

  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  // Stops accepting; connections waiting for a thread are closed unserved, open ones end at
  // their next wait.
  void Shutdown();

 private:
  bool process_and_close_socket(socket_t sock) override;

  // Constant after construction.
  const Limits limits_;
  const int wake_fd_;  // eventfd, readable from Shutdown on

  std::atomic<bool> stopping_{false};
};

}  // namespace iiot
