// The admin, reload and alerts sections, and reading admin.token from its file. The token
// is a secret: no message and no dump ever holds its value.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <system_error>

#include "config/host_port.h"
#include "config/key_kinds.h"
#include "config/sources.h"

namespace iiot::config_keys {

namespace {

using config_text::Quote;
using config_text::Trim;

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

std::optional<std::string> PathRule(std::string_view s) {
  const bool printable = std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u != 0x7f;
  });
  if (!printable) return "is not a valid path (control characters)";
  return std::nullopt;
}

std::string ErrnoText(int err) { return std::generic_category().message(err); }

Key AdminAddrKey() {
  Key key = TextKey("admin.addr", Member(&Config::admin, &AdminConfig::addr), AddrRule,
                    "host:port (port 0..65535), or off",
                    "admin HTTP server address; port 0 = any free port; off = no server");
  key.type = "address";
  return key;
}

Key AdminTokenKey() {
  Key key;
  key.path = "admin.token";
  key.type = "secret string";
  key.allowed = std::string(kTokenRule) + ", or empty";
  key.doc = "bearer token the admin API requires (empty: none); shown as <redacted>";
  const std::string problem =
      fmt::format("the value is not a valid token ({}; the value is not shown)", kTokenRule);
  key.assign = [problem](Config& cfg, const SourceValue& v) {
    std::string text(Trim(ScalarText(v, "string", "")));
    if (!IsValidToken(text)) throw ValueError(problem);
    cfg.admin.token = std::move(text);
  };
  key.check = [problem](const Config& cfg) {
    if (!IsValidToken(cfg.admin.token)) throw ValueError(problem);
  };
  // A token read from admin.token_file shows as "": the dump then loads back (the file is
  // read again) instead of failing on both keys being set.
  key.show = [](const Config& cfg) {
    const bool hidden = cfg.admin.token.empty() || !cfg.admin.token_file.empty();
    return config_text::YamlQuote(hidden ? "" : "<redacted>");
  };
  key.same = [](const Config& a, const Config& b) { return a.admin.token == b.admin.token; };
  return key;
}

Key AdminTokenFileKey() {
  return TextKey("admin.token_file", Member(&Config::admin, &AdminConfig::token_file), PathRule,
                 "a path", "file holding admin.token (trailing whitespace stripped); empty = none");
}

}  // namespace

std::optional<std::string> NotARegularFile(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec) return fmt::format("cannot open {}: {}", Quote(path), ec.message());
  if (std::filesystem::is_directory(status)) {
    return fmt::format("{} is a directory, not a file", Quote(path));
  }
  if (!std::filesystem::is_regular_file(status)) {
    return fmt::format("{} is not a regular file (a pipe, socket or device)", Quote(path));
  }
  return std::nullopt;
}

std::string ReadSecretFile(const std::string& key_path, const std::string& path,
                           const std::string& where) {
  constexpr size_t kMaxFileBytes = 64u << 10;
  if (auto why = NotARegularFile(path)) throw ConfigError(key_path, where, *why);
  errno = 0;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) {
    throw ConfigError(key_path, where,
                      fmt::format("cannot open {}: {}", Quote(path), ErrnoText(errno)));
  }
  std::string text(kMaxFileBytes + 1, '\0');
  const size_t n = std::fread(text.data(), 1, text.size(), file.get());
  if (std::ferror(file.get())) {
    throw ConfigError(key_path, where,
                      fmt::format("cannot read {}: {}", Quote(path), ErrnoText(errno)));
  }
  if (n > kMaxFileBytes) {
    throw ConfigError(key_path, where, fmt::format("{} is larger than 64 KiB", Quote(path)));
  }
  text.resize(n);
  return text;
}

void AddOperatingKeys(std::vector<Key>& k) {
  using Ms = Millis;
  const RealRange unit{0, 1};
  k.push_back(AdminAddrKey());
  k.push_back(AdminTokenKey());
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
  const std::string& path = cfg.admin.token_file;
  if (path.empty()) return;
  const auto it = provenance.find("admin.token_file");
  const std::string where = it != provenance.end() ? it->second : "";
  if (!cfg.admin.token.empty()) {
    throw ConfigError("admin.token_file", where,
                      "cannot be set together with admin.token (set one of them)");
  }
  std::string text = ReadSecretFile("admin.token_file", path, where);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' ||
                           text.back() == '\r')) {
    text.pop_back();
  }
  if (text.empty()) {
    throw ConfigError("admin.token_file", where, fmt::format("{} holds no token", Quote(path)));
  }
  if (!IsValidToken(text)) {
    throw ConfigError("admin.token_file", where,
                      fmt::format("{} does not hold a valid token ({}; the content is not shown)",
                                  Quote(path), kTokenRule));
  }
  cfg.admin.token = std::move(text);
}

}  // namespace iiot::config_keys
