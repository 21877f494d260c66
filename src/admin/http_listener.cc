#include "admin/http_listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <system_error>
#include <thread>
#include <vector>

#include "base/mutex.h"

namespace iiot {

namespace {

// httplib's task queue with named threads. Each job is one accepted connection; jobs queue
// without bound, but a connection holds a thread only as long as the timeouts allow.
class NamedThreadPool final : public httplib::TaskQueue {
 public:
  explicit NamedThreadPool(size_t n) {
    for (size_t i = 0; i < n; ++i) threads_.emplace_back([this] { Work(); });
  }
  ~NamedThreadPool() override { shutdown(); }

  void enqueue(std::function<void()> fn) override {
    {
      MutexLock lock(&mu_);
      jobs_.push_back(std::move(fn));
    }
    cv_.notify_one();
  }

  // Runs the jobs still queued, then joins the threads.
  void shutdown() override {
    {
      MutexLock lock(&mu_);
      shutdown_ = true;
    }
    cv_.notify_all();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
  }

 private:
  void Work() {
    pthread_setname_np(pthread_self(), "iiot-admin-http");
    for (;;) {
      std::function<void()> fn;
      {
        MutexLock lock(&mu_);
        while (!shutdown_ && jobs_.empty()) cv_.wait(mu_);
        if (jobs_.empty()) return;  // shutdown_ and nothing left to run
        fn = std::move(jobs_.front());
        jobs_.pop_front();
      }
      fn();
    }
  }

  std::vector<std::thread> threads_;
  Mutex mu_;
  std::condition_variable_any cv_;
  std::deque<std::function<void()>> jobs_ GUARDED_BY(mu_);
  bool shutdown_ GUARDED_BY(mu_) = false;
};

void IpAndPort(const sockaddr_storage& addr, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(addr);
    inet_ntop(AF_INET, &in.sin_addr, text, sizeof(text));
    port = ntohs(in.sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(addr);
    inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof(text));
    port = ntohs(in6.sin6_port);
  }
  ip = text;
}

// One accepted connection as httplib reads and writes it: buffered reads, and every wait
// bounded by its timeout and by the listener's wake-up descriptor.
class ConnectionStream final : public httplib::Stream {
 public:
  ConnectionStream(int sock, int wake_fd, const HttpListener::Limits& limits)
      : sock_(sock), wake_fd_(wake_fd), limits_(limits) {}

  // Starts the next request's read budget. True when the request has begun to arrive
  // within `idle`; false on timeout or Shutdown.
  bool WaitForRequest(std::chrono::milliseconds idle) {
    budget_ = limits_.max_request_bytes;
    return buffered() > 0 || Wait(POLLIN, idle);
  }

  // The request read all its budget: what follows on the connection cannot be trusted to
  // start a request.
  bool Exhausted() const { return budget_ == 0; }

  bool is_readable() const override { return buffered() > 0 || Wait(POLLIN, limits_.read_timeout); }
  bool is_writable() const override { return Wait(POLLOUT, limits_.write_timeout); }

  // Fails once the request has read its budget: a chunked body has no length httplib
  // checks against its payload limit.
  ssize_t read(char* ptr, size_t size) override {
    if (budget_ == 0) return -1;
    if (buffered() == 0) {
      if (!Wait(POLLIN, limits_.read_timeout)) return -1;
      ssize_t n;
      do {
        n = ::recv(sock_, buffer_, sizeof(buffer_), 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) return n;
      begin_ = 0;
      end_ = static_cast<size_t>(n);
    }
    const size_t n = std::min({size, buffered(), budget_});
    std::memcpy(ptr, buffer_ + begin_, n);
    begin_ += n;
    budget_ -= n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!Wait(POLLOUT, limits_.write_timeout)) return -1;
    ssize_t n;
    do {
      n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    if (getpeername(sock_, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
      IpAndPort(addr, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    if (getsockname(sock_, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
      IpAndPort(addr, ip, port);
  }
  socket_t socket() const override { return sock_; }

 private:
  size_t buffered() const { return end_ - begin_; }

  // True when the socket is ready for `events` within `timeout`. Once Shutdown has made the
  // wake-up descriptor readable, only a socket that is ready right now counts.
  bool Wait(short events, std::chrono::milliseconds timeout) const {
    pollfd fds[2] = {{sock_, events, 0}, {wake_fd_, POLLIN, 0}};
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      const int r = ::poll(fds, 2, static_cast<int>(std::max<int64_t>(left.count(), 0)));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return false;
      return (fds[0].revents & (events | POLLHUP | POLLERR)) != 0;
    }
  }

  const int sock_;
  const int wake_fd_;
  const HttpListener::Limits& limits_;
  char buffer_[4096];
  size_t begin_ = 0;  // buffer_[begin_, end_) is read but not yet taken
  size_t end_ = 0;
  size_t budget_ = 0;  // bytes the current request may still take
};

}  // namespace

HttpListener::HttpListener(Limits limits)
    : limits_(limits), wake_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (wake_fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
  new_task_queue = [threads = limits_.threads] { return new NamedThreadPool(threads); };
  // httplib's own copies: the Keep-Alive response header, and the socket timeouts it sets
  // on accepted connections (a bound on a send already under way).
  set_keep_alive_timeout(limits_.keep_alive_idle.count());
  set_keep_alive_max_count(limits_.keep_alive_max_requests);
  set_read_timeout(limits_.read_timeout);
  set_write_timeout(limits_.write_timeout);
}

HttpListener::~HttpListener() { ::close(wake_fd_); }

void HttpListener::Shutdown() {
  stopping_ = true;
  const uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = ::write(wake_fd_, &one, sizeof(one));
  stop();
}

bool HttpListener::process_and_close_socket(socket_t sock) {
  bool ok = false;
  if (!stopping_) {
    // A response goes out in more than one write; without this, Nagle's algorithm holds
    // the last one back until the client's delayed ACK (40 ms) on a keep-alive connection.
    int yes = 1;
    ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
    ConnectionStream stream(sock, wake_fd_, limits_);
    // The first request may take as long to arrive as any read; later ones as long as the
    // keep-alive idle time.
    std::chrono::milliseconds wait = limits_.read_timeout;
    for (size_t left = limits_.keep_alive_max_requests; left > 0 && !stopping_; --left) {
      if (!stream.WaitForRequest(wait)) break;
      bool connection_closed = false;
      ok = process_request(stream, left == 1 || stopping_, connection_closed, nullptr);
      if (!ok || connection_closed || stream.Exhausted()) break;
      wait = limits_.keep_alive_idle;
    }
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

}  // namespace iiot
