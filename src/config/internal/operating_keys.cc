// The admin, reload and alerts sections. admin.token is a secret (secret_key.cc): no
// message and no dump ever holds its value.
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

std::optional<std::string> AddrRule(std::string_view s) {
  if (s == "off" || ParseHostPort(s)) return std::nullopt;
  return "is not host:port (port 0..65535; an IPv6 host in brackets) or off";
}

Key AdminAddrKey() {
  Key key = TextKey("admin.addr", Member(&Config::admin, &AdminConfig::addr), AddrRule,
                    "host:port (port 0..65535), or off",
                    "admin HTTP server address; port 0 = any free port; off = no server");
  key.type = "address";
  return key;
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

Key AdminTokenFileKey() {
  return PathKey("admin.token_file", Member(&Config::admin, &AdminConfig::token_file),
                 "file holding admin.token (trailing whitespace stripped); empty = none");
}

}  // namespace

void AddOperatingKeys(std::vector<Key>& k) {
  using Ms = Millis;
  const RealRange unit{0, 1};
  k.push_back(AdminAddrKey());
  k.push_back(SecretKey(AdminToken(),
                        "bearer token the admin API requires (empty: none); shown as <redacted>"));
  k.push_back(AdminTokenFileKey());
  k.push_back(RealKey("admin.ready_min_success",
                      Member(&Config::admin, &AdminConfig::ready_min_success), unit,
                      "/readyz: least share of deliveries over admin.ready_window that succeed"));
  k.push_back(DurationKey("admin.ready_window", Member(&Config::admin, &AdminConfig::ready_window),
                          Ms{1000}, Ms{3'600'000}, "/readyz: window of admin.ready_min_success"));

  k.push_back(BoolKey("reload.watch", Member(&Config::reload, &ReloadConfig::watch),
                      "watch the config file and reload when it changes"));
  k.push_back(DurationKey("reload.debounce", Member(&Config::reload, &ReloadConfig::debounce),
                          Ms{0}, Ms{10'000}, "wait for changes to the file to settle this long"));

  k.push_back(RealKey("alerts.error_rate", Member(&Config::alerts, &AlertsConfig::error_rate), unit,
                      "alert when failed + dropped exceed this share of delivery outcomes"));
  k.push_back(DurationKey("alerts.latency_p95", Member(&Config::alerts, &AlertsConfig::latency_p95),
                          Ms{1}, Ms{3'600'000},
                          "alert when the p95 delivery latency exceeds this"));
  k.push_back(RealKey("alerts.queue_fill", Member(&Config::alerts, &AlertsConfig::queue_fill), unit,
                      "alert when queued messages exceed this share of the queue bound"));
  k.push_back(DurationKey("alerts.window", Member(&Config::alerts, &AlertsConfig::window), Ms{1000},
                          Ms{3'600'000}, "window the alert thresholds are judged over"));
}

void ApplyTokenFile(Config& cfg, const Provenance& provenance) {
  ApplySecretFile(AdminToken(), cfg, provenance);
}

}  // namespace iiot::config_keys
