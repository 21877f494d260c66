// A listening address as the admin.addr key holds it: "host:port", the host a name or an
// IPv4 address, or an IPv6 address in brackets ("[::1]:8080"). Port 0 asks the system for
// any free port. Pure functions; thread-safe.
//
// Example:
//   if (auto hp = ParseHostPort("[::1]:8080")) listen(hp->host /* "::1" */, hp->port);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace iiot {

struct HostPort {
  std::string host;  // without brackets: "127.0.0.1", "localhost", "::1"
  uint16_t port = 0;

  bool operator==(const HostPort&) const = default;
};

// Splits "host:port" (port 0..65535, decimal). nullopt for anything else: no colon, an
// empty host, spaces or control characters, an IPv6 address without brackets.
std::optional<HostPort> ParseHostPort(std::string_view text);

}  // namespace iiot
