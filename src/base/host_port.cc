#include "base/host_port.h"

#include <algorithm>

namespace iiot {

namespace {

bool IsHostChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u != 0x7f && c != '/' && c != '[' && c != ']' && c != '@';
}

}  // namespace

std::optional<HostPort> ParseHostPort(std::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view host = text.substr(0, colon);
  const std::string_view port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  unsigned value = 0;
  for (char c : port) value = value * 10 + static_cast<unsigned>(c - '0');
  if (value > 65535) return std::nullopt;
  const bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
  if (bracketed) host = host.substr(1, host.size() - 2);
  if (host.empty() || !std::all_of(host.begin(), host.end(), IsHostChar)) return std::nullopt;
  // A colon in the host is an IPv6 address, which needs brackets; brackets need one.
  if ((host.find(':') != std::string_view::npos) != bracketed) return std::nullopt;
  return HostPort{std::string(host), static_cast<uint16_t>(value)};
}

}  // namespace iiot
