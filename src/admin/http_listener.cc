#include "admin/http_listener.h"

#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "admin/buffer_stream.h"
#include "admin/error_response.h"
#include "admin/listen_socket.h"

namespace iiot {

namespace {

constexpr size_t kAcceptsPerWake = 64;
constexpr size_t kMaxDrainBytes = 64 * 1024;
constexpr auto kAcceptPause = std::chrono::milliseconds(100);

}  // namespace

HttpListener::HttpListener(Limits limits)
    : limits_(limits),
      wake_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
      epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)) {
  try {
    if (wake_fd_ < 0 || epoll_fd_ < 0) {
      throw std::system_error(errno, std::generic_category(), "admin server descriptors");
    }
    pool_ = std::make_unique<RequestPool>(
        limits_.threads, [this](const RequestPool::Job& job) { return Serve(job); }, wake_fd_);
  } catch (...) {
    if (wake_fd_ >= 0) ::close(wake_fd_);
    if (epoll_fd_ >= 0) ::close(epoll_fd_);
    throw;
  }
  // httplib's copies, for the Keep-Alive header it writes and the body limit it checks.
  set_keep_alive_timeout(
      std::chrono::duration_cast<std::chrono::seconds>(limits_.keep_alive_idle).count());
  set_keep_alive_max_count(limits_.keep_alive_max_requests);
  set_payload_max_length(limits_.frame.max_body_bytes);
}

HttpListener::~HttpListener() {
  pool_.reset();  // joins its threads before anything they use goes
  for (const auto& entry : connections_) ::close(entry.first);
  if (listen_fd_ >= 0) ::close(listen_fd_);
  ::close(epoll_fd_);
  ::close(wake_fd_);
}

Result<int> HttpListener::Bind(const std::string& host, int port) {
  Result<ListeningSocket> listening = Listen(host, port);
  if (!listening) return listening.error();
  listen_fd_ = listening->fd;
  return listening->port;
}

void HttpListener::Shutdown() {
  stopping_ = true;
  const uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = ::write(wake_fd_, &one, sizeof(one));
}

RequestPool::Answer HttpListener::Serve(const RequestPool::Job& job) {
  try {
    BufferStream stream(job.request, job.fd);
    bool connection_closed = false;
    const bool ok = process_request(stream, job.last, connection_closed, nullptr);
    std::string response = stream.TakeResponse();
    // httplib refuses a few requests the framer lets through (a method it does not know):
    // as for the framer's refusals, nothing after them is read.
    const bool refused = response.starts_with("HTTP/1.1 400") ||
                         response.starts_with("HTTP/1.1 413") ||
                         response.starts_with("HTTP/1.1 414");
    return {job.fd, std::move(response), job.last || connection_closed || !ok || refused};
  } catch (...) {
    return {job.fd, ErrorResponse(500, "internal", "the request failed"), true};
  }
}

void HttpListener::Run() {
  Watch(wake_fd_, EPOLLIN, /*add=*/true);
  if (listen_fd_ >= 0) Watch(listen_fd_, EPOLLIN, /*add=*/true);
  bool stopped = false;
  epoll_event events[64];
  for (;;) {
    if (stopping_ && !stopped) {
      stopped = true;
      BeginStop();
    }
    if (stopped && serving_ == 0) break;
    const int n = ::epoll_wait(epoll_fd_, events, 64, WaitMillis(Clock::now()));
    if (n < 0 && errno != EINTR) {
      // Cannot happen with valid descriptors; stop as at Shutdown, so that no request is
      // left with the pool while its connection closes.
      stopping_ = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    const Clock::time_point now = Clock::now();
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == wake_fd_) {
        uint64_t count;
        [[maybe_unused]] const ssize_t r = ::read(wake_fd_, &count, sizeof(count));
        continue;
      }
      if (fd == listen_fd_) {
        Accept(now);
        continue;
      }
      // A connection closed earlier in this batch (an eviction) is gone; if accept reused
      // its descriptor, the new connection only sees a read that finds nothing.
      const auto it = connections_.find(fd);
      if (it == connections_.end()) continue;
      Connection& c = it->second;
      switch (c.phase) {
        case Connection::Phase::kReading:
          OnReadable(fd, c, now);
          break;
        case Connection::Phase::kWriting:
          Write(fd, c, now);
          break;
        case Connection::Phase::kDraining:
          Drain(fd, c);
          break;
        case Connection::Phase::kServing:
          if ((events[i].events & (EPOLLHUP | EPOLLERR)) != 0) {
            c.peer_gone = true;  // closed when its answer comes
            ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
          }
          break;
      }
    }
    for (RequestPool::Answer& answer : pool_->TakeFinished()) OnAnswer(std::move(answer), now);
    Expire(now);
    if (listen_fd_ >= 0 && accept_paused_until_ != Clock::time_point{} &&
        now >= accept_paused_until_) {
      accept_paused_until_ = {};
      Watch(listen_fd_, EPOLLIN, /*add=*/true);
    }
  }
  for (const auto& entry : connections_) ::close(entry.first);
  connections_.clear();
}

void HttpListener::Accept(Clock::time_point now) {
  for (size_t i = 0; i < kAcceptsPerWake; ++i) {
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        // Out of descriptors: make room; else (or out of memory) leave the backlog alone
        // for a moment instead of being woken for it again at once.
        if ((errno == EMFILE || errno == ENFILE) && EvictOneWaiting()) continue;
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
        accept_paused_until_ = now + kAcceptPause;
      }
      return;
    }
    const bool refused = connections_.size() >= limits_.max_connections && !EvictOneWaiting();
    int yes = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
    Connection& c = connections_[fd];
    c = Connection{};
    c.deadline = now + limits_.request_timeout;
    c.waiting_since = now;
    Watch(fd, EPOLLIN | EPOLLRDHUP, /*add=*/true);
    // Refused, it lingers after its answer like any other (over the cap, but the first to
    // make room), so that the client reads the 503 rather than a reset.
    if (refused) {
      Answer(fd, c, 503, "too_many_connections",
             "the admin server has " + std::to_string(connections_.size() - 1) +
                 " connections open, each being served; try again",
             now, /*retry_later=*/true);
    }
  }
}

bool HttpListener::EvictOneWaiting() {
  // A connection lingering after its answer goes first, then the one that has waited
  // longest for a request; one being served or answered stays.
  int victim = -1;
  bool victim_draining = false;
  Clock::time_point oldest = Clock::time_point::max();
  for (const auto& [fd, c] : connections_) {
    const bool draining = c.phase == Connection::Phase::kDraining;
    if (!draining && c.phase != Connection::Phase::kReading) continue;
    if (draining > victim_draining || (draining == victim_draining && c.waiting_since < oldest)) {
      victim = fd;
      victim_draining = draining;
      oldest = c.waiting_since;
    }
  }
  if (victim < 0) return false;
  Close(victim);
  return true;
}

void HttpListener::OnReadable(int fd, Connection& c, Clock::time_point now) {
  const FrameLimits& frame = limits_.frame;
  const size_t cap = frame.max_head_bytes + frame.max_body_bytes + 64;
  bool got = false;
  bool newline = false;
  char buf[16 * 1024];
  while (c.in.size() < cap && !c.peer_closed) {
    const ssize_t n = ::recv(fd, buf, std::min(sizeof(buf), cap - c.in.size()), 0);
    if (n > 0) {
      if (c.idle) {
        c.idle = false;
        c.deadline = now + limits_.request_timeout;
      }
      newline = newline || std::memchr(buf, '\n', static_cast<size_t>(n)) != nullptr;
      c.in.append(buf, static_cast<size_t>(n));
      got = true;
    } else if (n == 0) {
      c.peer_closed = true;
    } else if (errno != EINTR) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      Close(fd);
      return;
    }
  }
  // The framer runs when a line may have ended, not for every byte a slow client sends.
  if (got && (newline || c.head_complete || c.in.size() > frame.max_head_bytes)) {
    Advance(fd, c, now);
  } else if (c.peer_closed) {
    Close(fd);  // the request can no longer arrive whole
  }
}

void HttpListener::Advance(int fd, Connection& c, Clock::time_point now) {
  Frame f = FrameRequest(c.in, limits_.frame);
  switch (f.verdict) {
    case Frame::Verdict::kIncomplete:
      c.head_complete = f.head_complete;
      if (c.peer_closed) {
        Close(fd);
      } else if (f.expects_continue && !c.continue_sent) {
        // Written like a response, but the request's deadline keeps running.
        c.continue_sent = true;
        c.interim = true;
        c.out = "HTTP/1.1 100 Continue\r\n\r\n";
        c.written = 0;
        c.phase = Connection::Phase::kWriting;
        Write(fd, c, now);
      }
      return;
    case Frame::Verdict::kBad:
      Answer(fd, c, f.status, f.code, f.message, now);
      return;
    case Frame::Verdict::kComplete:
      c.in.erase(0, f.length);
      c.head_complete = false;
      c.continue_sent = false;
      c.phase = Connection::Phase::kServing;
      ++serving_;
      Watch(fd, 0);
      pool_->Submit({fd, std::move(f.normalized),
                     c.served + 1 >= limits_.keep_alive_max_requests || stopping_});
      return;
  }
}

void HttpListener::OnAnswer(RequestPool::Answer answer, Clock::time_point now) {
  const auto it = connections_.find(answer.fd);
  if (it == connections_.end()) return;
  Connection& c = it->second;
  --serving_;
  if (c.peer_gone || answer.response.empty()) {
    Close(answer.fd);
    return;
  }
  ++c.served;
  c.out = std::move(answer.response);
  c.written = 0;
  c.close_after = answer.close;
  c.phase = Connection::Phase::kWriting;
  c.deadline = now + limits_.write_timeout;
  Write(answer.fd, c, now);
}

void HttpListener::Answer(int fd, Connection& c, int status, std::string_view code,
                          std::string_view message, Clock::time_point now, bool retry_later) {
  c.in.clear();
  c.out = ErrorResponse(status, code, message, retry_later);
  c.written = 0;
  c.close_after = true;
  c.phase = Connection::Phase::kWriting;
  c.deadline = now + limits_.write_timeout;
  Write(fd, c, now);
}

void HttpListener::Write(int fd, Connection& c, Clock::time_point now) {
  while (c.written < c.out.size()) {
    const ssize_t n = ::send(fd, c.out.data() + c.written, c.out.size() - c.written, MSG_NOSIGNAL);
    if (n > 0) {
      c.written += static_cast<size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && !stopping_) {
      Watch(fd, EPOLLOUT);
      return;
    } else {
      Close(fd);  // broken, or stopping with the client not taking the answer at once
      return;
    }
  }
  c.out.clear();
  c.written = 0;
  if (stopping_) {
    Close(fd);
    return;
  }
  if (c.interim) {
    c.interim = false;
    c.phase = Connection::Phase::kReading;
    Watch(fd, EPOLLIN | EPOLLRDHUP);
    return;
  }
  if (c.close_after || (c.peer_closed && c.in.empty())) {
    // Closing at once with input unread would reset the connection, and the client could
    // lose the answer: shut our side and read what still comes, for a while.
    ::shutdown(fd, SHUT_WR);
    c.phase = Connection::Phase::kDraining;
    c.deadline = now + limits_.linger;
    c.waiting_since = now;
    c.drained = 0;
    Watch(fd, EPOLLIN | EPOLLRDHUP);
    return;
  }
  // Empty lines a client may send after a body do not start a request.
  c.in.erase(0, std::min(c.in.size(), c.in.find_first_not_of("\r\n")));
  c.phase = Connection::Phase::kReading;
  c.idle = c.in.empty();
  c.deadline = now + (c.idle ? limits_.keep_alive_idle : limits_.request_timeout);
  c.waiting_since = now;
  Watch(fd, EPOLLIN | EPOLLRDHUP);
  if (!c.in.empty()) Advance(fd, c, now);  // a request sent before the answer (pipelined)
}

void HttpListener::Drain(int fd, Connection& c) {
  char buf[16 * 1024];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n > 0) {
      c.drained += static_cast<size_t>(n);
      if (c.drained <= kMaxDrainBytes) continue;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return;
    }
    Close(fd);  // the client closed, failed, or sends too much
    return;
  }
}

void HttpListener::Expire(Clock::time_point now) {
  std::vector<int> due;
  for (const auto& [fd, c] : connections_) {
    if (c.phase != Connection::Phase::kServing && c.deadline <= now) due.push_back(fd);
  }
  for (const int fd : due) {
    Connection& c = connections_.at(fd);
    if (c.phase == Connection::Phase::kReading && !c.idle && !c.in.empty()) {
      Answer(fd, c, 408, "request_timeout",
             "the request did not arrive whole within " +
                 std::to_string(limits_.request_timeout.count()) + " ms",
             now);
    } else {
      Close(fd);
    }
  }
}

void HttpListener::BeginStop() {
  if (listen_fd_ >= 0) {
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
    ::close(listen_fd_);
    listen_fd_ = -1;
  }
  accept_paused_until_ = {};
  pool_->Cancel();
  std::vector<int> open;
  for (const auto& [fd, c] : connections_) {
    if (c.phase != Connection::Phase::kServing) open.push_back(fd);
  }
  const Clock::time_point now = Clock::now();
  for (const int fd : open) {
    Connection& c = connections_.at(fd);
    if (c.phase == Connection::Phase::kWriting) {
      Write(fd, c, now);  // what the socket takes at once; then closed
    } else {
      Close(fd);
    }
  }
}

int HttpListener::WaitMillis(Clock::time_point now) const {
  Clock::time_point next = Clock::time_point::max();
  for (const auto& entry : connections_) {
    if (entry.second.phase != Connection::Phase::kServing) {
      next = std::min(next, entry.second.deadline);
    }
  }
  if (accept_paused_until_ != Clock::time_point{}) next = std::min(next, accept_paused_until_);
  if (next == Clock::time_point::max()) return -1;
  if (next <= now) return 0;
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(next - now).count();
  return static_cast<int>(std::min<int64_t>(ms, INT_MAX));
}

void HttpListener::Watch(int fd, uint32_t events, bool add) const {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  ::epoll_ctl(epoll_fd_, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev);
}

void HttpListener::Close(int fd) {
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  ::close(fd);
  connections_.erase(fd);
}

}  // namespace iiot
