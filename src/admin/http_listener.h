// HttpListener: the connection layer under AdminServer. One event loop (epoll, on the
// thread that calls Run) owns every connection: it accepts, reads request bytes as they
// come, frames each request strictly (FrameRequest), and hands only complete requests to
// a RequestPool, whose threads parse, route and answer them through httplib
// (Server::process_request on the buffered bytes). So:
//   - no client holds a thread by being slow or idle: hundreds of open connections cost
//     a buffer each, and /healthz is answered as soon as its own bytes are in;
//   - a request has a whole-request deadline (head and body), however it trickles in; a
//     response a whole-response deadline, however slowly it is read;
//   - open connections are capped: past the cap, the connection that has waited longest
//     for a request is closed to make room, and only when every one is being served or
//     answered is a new connection refused (503, Retry-After);
//   - a bad request gets one error response, then the connection is closed (its input
//     drained briefly first, so that the client reads the error rather than a reset).
//
// Thread-safety: configure routes and options, then Bind, then Run on one thread. Shutdown
// may be called from any thread at any time; Run then stops accepting, lets requests
// already in an endpoint finish and answer (when their socket takes the answer at once),
// closes every other connection and returns.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>

#include "admin/request_framer.h"
#include "admin/request_pool.h"
#include "base/result.h"

namespace iiot {

class HttpListener final : public httplib::Server {
 public:
  struct Limits {
    size_t threads = 4;            // requests served at once
    size_t max_connections = 512;  // open at once
    // A whole request, from its first byte (the first request: from connecting).
    std::chrono::milliseconds request_timeout{5000};
    std::chrono::milliseconds write_timeout{5000};    // a whole response
    std::chrono::milliseconds keep_alive_idle{2000};  // between requests on one connection
    size_t keep_alive_max_requests = 100;             // per connection
    std::chrono::milliseconds linger{1000};  // draining input before closing after an error
    FrameLimits frame;
  };

  // Throws std::system_error when a descriptor or a thread cannot be created.
  explicit HttpListener(Limits limits);
  ~HttpListener() override;

  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  // Listens on host:port (port 0: any free port). The bound port, or why not, in words
  // that read well after "admin.addr 127.0.0.1:8080: " ("address already in use").
  Result<int> Bind(const std::string& host, int port);
  // Serves until Shutdown; returns when every connection is closed.
  void Run();
  void Shutdown();

 private:
  using Clock = std::chrono::steady_clock;

  // One accepted connection, as the event loop sees it.
  struct Connection {
    enum class Phase {
      kReading,   // waiting for (the rest of) a request
      kServing,   // its request is with the pool; no deadline, never closed meanwhile
      kWriting,   // writing `out`
      kDraining,  // answered and shut for writing; reading what the client still sends
    };
    Phase phase = Phase::kReading;
    Clock::time_point deadline;       // for every phase but kServing
    Clock::time_point waiting_since;  // kReading: the one waiting longest is evicted first
    bool idle = false;                // kReading: no byte of the next request yet
    bool head_complete = false;       // kReading: only body bytes are missing
    bool continue_sent = false;       // "100 Continue" written for this request
    bool peer_closed = false;         // the client shut its side for writing
    bool peer_gone = false;           // kServing: the connection broke meanwhile
    bool close_after = false;         // kWriting: close once `out` is written
    bool interim = false;             // kWriting: `out` is "100 Continue"; reading goes on
    size_t served = 0;                // requests answered
    size_t drained = 0;               // kDraining: bytes read and dropped
    std::string in;                   // received, not yet framed
    std::string out;                  // kWriting: the response
    size_t written = 0;               // of `out`
  };

  RequestPool::Answer Serve(const RequestPool::Job& job);

  void Accept(Clock::time_point now);
  bool EvictOneWaiting();
  void OnReadable(int fd, Connection& c, Clock::time_point now);
  void Advance(int fd, Connection& c, Clock::time_point now);
  void OnAnswer(RequestPool::Answer answer, Clock::time_point now);
  void Write(int fd, Connection& c, Clock::time_point now);
  // An error of the connection layer's own, then the connection closes (after lingering).
  void Answer(int fd, Connection& c, int status, std::string_view code, std::string_view message,
              Clock::time_point now, bool retry_later = false);
  void Drain(int fd, Connection& c);
  void Expire(Clock::time_point now);
  void BeginStop();
  int WaitMillis(Clock::time_point now) const;
  void Watch(int fd, uint32_t events, bool add = false) const;
  void Close(int fd);

  // Constant after construction.
  const Limits limits_;
  const int wake_fd_;  // eventfd: Shutdown, and answers ready
  const int epoll_fd_;
  int listen_fd_ = -1;  // set by Bind

  std::atomic<bool> stopping_{false};

  // Only the thread in Run touches these.
  std::unordered_map<int, Connection> connections_;
  size_t serving_ = 0;                       // connections whose request is with the pool
  Clock::time_point accept_paused_until_{};  // out of descriptors: try again then

  std::unique_ptr<RequestPool> pool_;  // last: its threads call Serve
};

}  // namespace iiot
