#include "admin/listen_socket.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include "admin/buffer_stream.h"

namespace iiot {

namespace {

// strerror's text starting in lower case, to read well after "admin.addr ...: ".
std::string Reason(int err) {
  std::string text = err != 0 ? std::strerror(err) : "cannot listen";
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

}  // namespace

Result<ListeningSocket> Listen(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (const int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    return Fail("cannot resolve \"" + host + "\": " + gai_strerror(rc));
  }
  int err = 0;
  int listen_fd = -1;
  for (const addrinfo* ai = found; ai != nullptr && listen_fd < 0; ai = ai->ai_next) {
    const int fd =
        ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      err = errno;
      continue;
    }
    // SO_REUSEADDR only: SO_REUSEPORT would let a second process bind the port and share
    // its connections.
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, SOMAXCONN) == 0) {
      listen_fd = fd;
    } else {
      err = errno;
      ::close(fd);
    }
  }
  freeaddrinfo(found);
  if (listen_fd < 0) return Fail(Reason(err));
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  std::string ip;
  int bound = port;
  if (getsockname(listen_fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    IpAndPort(addr, ip, bound);
  }
  return ListeningSocket{listen_fd, bound};
}

}  // namespace iiot
