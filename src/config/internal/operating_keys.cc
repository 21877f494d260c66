// The rules of the admin section's own keys: admin.addr and the admin.token secret
// (secret_key.cc: no message and no dump ever holds its value). The keys themselves are in
// the table, key_registry.cc.
#include <algorithm>
#include <optional>

#include "base/host_port.h"
#include "config/internal/key_kinds.h"
#include "config/internal/sources.h"

namespace iiot::config_keys {

namespace {

constexpr size_t kMaxTokenBytes = 4096;
constexpr const char* kTokenRule = "1..4096 printable ASCII characters without spaces";

bool IsTokenChar(char c) { return c > 0x20 && c < 0x7f; }

bool IsValidToken(std::string_view token) {
  return token.size() <= kMaxTokenBytes && std::all_of(token.begin(), token.end(), IsTokenChar);
}

}  // namespace

std::optional<std::string> AddrRule(std::string_view s) {
  if (s == "off" || ParseHostPort(s)) return std::nullopt;
  return "is not host:port (port 0..65535; an IPv6 host in brackets) or off";
}

const Secret& AdminToken() {
  static const Secret secret{"admin.token",
                             "token",
                             kTokenRule,
                             IsValidToken,
                             Member(&Config::admin, &AdminConfig::token),
                             Member(&Config::admin, &AdminConfig::token_file)};
  return secret;
}

void ApplyTokenFile(Config& cfg, const Provenance& provenance) {
  ApplySecretFile(AdminToken(), cfg, provenance);
}

}  // namespace iiot::config_keys
