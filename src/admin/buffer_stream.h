// BufferStream: one complete request held in memory, as httplib's Server::process_request
// reads it, and the response it writes, collected for the event loop to send. The socket
// only answers who the peer is (httplib asks); it must stay open meanwhile.
//
// Not thread-safe: one per request, on the thread serving it.
#pragma once

#include <httplib.h>
#include <sys/socket.h>

#include <string>
#include <string_view>

namespace iiot {

class BufferStream final : public httplib::Stream {
 public:
  BufferStream(std::string_view request, int sock) : request_(request), sock_(sock) {}

  std::string TakeResponse() { return std::move(response_); }

  bool is_readable() const override { return true; }
  bool is_writable() const override { return true; }
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return sock_; }

 private:
  const std::string_view request_;
  const int sock_;
  size_t pos_ = 0;  // of request_, read so far
  std::string response_;
};

// The address and port of a socket address (IPv4 or IPv6); ip "" for another family.
void IpAndPort(const sockaddr_storage& addr, std::string& ip, int& port);

}  // namespace iiot
