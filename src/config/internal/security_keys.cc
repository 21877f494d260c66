// What the keys about talking to the brokers securely (kafka.security_protocol,
// kafka.sasl_*, kafka.tls_*; in the table, key_registry.cc) need: their rules, reading
// kafka.sasl_password from its file, and the checks between them. The password is a
// secret: no message and no dump ever holds its value.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <system_error>

#include "base/file_read.h"
#include "config/internal/key_kinds.h"
#include "config/internal/sources.h"

namespace iiot {

const char* Name(SecurityProtocol p) {
  switch (p) {
    case SecurityProtocol::kPlaintext:
      return "plaintext";
    case SecurityProtocol::kSsl:
      return "ssl";
    case SecurityProtocol::kSaslPlaintext:
      return "sasl_plaintext";
    case SecurityProtocol::kSaslSsl:
      return "sasl_ssl";
  }
  return "?";
}

const char* Name(SaslMechanism m) {
  switch (m) {
    case SaslMechanism::kScramSha512:
      return "scram-sha-512";
    case SaslMechanism::kScramSha256:
      return "scram-sha-256";
    case SaslMechanism::kPlain:
      return "plain";
  }
  return "?";
}

namespace config_keys {

namespace {

using text::Quote;
using text::Trim;

constexpr size_t kMaxPasswordBytes = 4096;
constexpr const char* kPasswordRule = "1..4096 characters without control characters";

bool IsValidPassword(std::string_view s) {
  return s.size() <= kMaxPasswordBytes && !text::HasControl(s);
}

}  // namespace

std::optional<std::string> UsernameRule(std::string_view s) {
  if (s.size() > 255 || text::HasControl(s)) {
    return "is not a valid user name (0..255 characters without control characters)";
  }
  return std::nullopt;
}

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

}  // namespace

Key CaseInsensitive(Key key) {
  key.assign = [inner = key.assign, type = key.type](Config& cfg, const SourceValue& v) {
    const std::string text = Lower(Trim(ScalarText(v, type)));
    inner(cfg, SourceValue{nullptr, text});
  };
  return key;
}

const Secret& SaslPassword() {
  static const Secret secret{"kafka.sasl_password",
                             "password",
                             kPasswordRule,
                             IsValidPassword,
                             Member(&Config::kafka, &KafkaConfig::sasl_password),
                             Member(&Config::kafka, &KafkaConfig::sasl_password_file)};
  return secret;
}

Key KafkaPathKey(std::string path, std::string KafkaConfig::*field, std::string doc) {
  return PathKey(std::move(path), Member(&Config::kafka, field), std::move(doc));
}

namespace {

bool UsesTls(SecurityProtocol p) {
  return p == SecurityProtocol::kSsl || p == SecurityProtocol::kSaslSsl;
}

bool UsesSasl(SecurityProtocol p) {
  return p == SecurityProtocol::kSaslPlaintext || p == SecurityProtocol::kSaslSsl;
}

// Why the file at `path` cannot be used, or nullopt.
std::optional<std::string> Unreadable(const std::string& path) {
  if (Result<void> ok = CheckRegularFile(path); !ok) return ok.error().message;
  return std::nullopt;
}

}  // namespace

void ApplySaslPasswordFile(Config& cfg, const Provenance& provenance) {
  ApplySecretFile(SaslPassword(), cfg, provenance);
}

void CheckSecurity(const Config& cfg) {
  const KafkaConfig& k = cfg.kafka;
  const std::string protocol =
      fmt::format("kafka.security_protocol is {}", Name(k.security_protocol));
  const std::string password_key =
      k.sasl_password_file.empty() ? "kafka.sasl_password" : "kafka.sasl_password_file";
  if (UsesSasl(k.security_protocol)) {
    if (k.sasl_username.empty()) {
      throw ConfigError("kafka.sasl_username", "", "required when " + protocol);
    }
    if (k.sasl_password.empty()) {
      throw ConfigError("kafka.sasl_password", "",
                        fmt::format("required when {} (set it, IIOT_KAFKA_SASL_PASSWORD or "
                                    "kafka.sasl_password_file)",
                                    protocol));
    }
  }
  // Settings the protocol would ignore, unless kafka.properties picks the protocol itself.
  if (k.properties.count("security.protocol") == 0) {
    if (!UsesSasl(k.security_protocol)) {
      const std::string unused = fmt::format(
          "is set but {}, which does not use SASL (sasl_ssl and sasl_plaintext do)", protocol);
      if (!k.sasl_username.empty()) throw ConfigError("kafka.sasl_username", "", unused);
      if (!k.sasl_password.empty()) throw ConfigError(password_key, "", unused);
    }
    if (!UsesTls(k.security_protocol)) {
      for (const auto& [key, value] : {std::pair{"kafka.tls_ca_file", &k.tls_ca_file},
                                       std::pair{"kafka.tls_cert_file", &k.tls_cert_file},
                                       std::pair{"kafka.tls_key_file", &k.tls_key_file}}) {
        if (!value->empty()) {
          throw ConfigError(key, "",
                            fmt::format("is set but {}, which does not use TLS (ssl and "
                                        "sasl_ssl do)",
                                        protocol));
        }
      }
    }
  }
  if (!k.tls_cert_file.empty() && k.tls_key_file.empty()) {
    throw ConfigError("kafka.tls_key_file", "",
                      "required when kafka.tls_cert_file is set (the certificate's private key)");
  }
  if (k.tls_cert_file.empty() && !k.tls_key_file.empty()) {
    throw ConfigError("kafka.tls_cert_file", "",
                      "required when kafka.tls_key_file is set (the key's certificate)");
  }
  for (const auto& [key, value] : {std::pair{"kafka.tls_ca_file", &k.tls_ca_file},
                                   std::pair{"kafka.tls_cert_file", &k.tls_cert_file},
                                   std::pair{"kafka.tls_key_file", &k.tls_key_file}}) {
    if (value->empty()) continue;
    if (auto why = Unreadable(*value)) throw ConfigError(key, "", *why);
  }
}

}  // namespace config_keys
}  // namespace iiot
