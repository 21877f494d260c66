#include "sink/kafka_security.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "base/host_port.h"

namespace iiot {

namespace {

// OpenSSL's X509_V_ERR_* values (x509_vfy.h; stable across OpenSSL versions).
constexpr int kUnableToGetIssuerCert = 2;
constexpr int kCertSignatureFailure = 7;
constexpr int kCertNotYetValid = 9;
constexpr int kCertHasExpired = 10;
constexpr int kDepthZeroSelfSigned = 18;
constexpr int kSelfSignedInChain = 19;
constexpr int kUnableToGetIssuerLocally = 20;
constexpr int kUnableToVerifyLeaf = 21;
constexpr int kHostnameMismatch = 62;
constexpr int kIpAddressMismatch = 64;

bool UsesSasl(SecurityProtocol p) {
  return p == SecurityProtocol::kSaslPlaintext || p == SecurityProtocol::kSaslSsl;
}

// The host of a broker as librdkafka names it: "sasl_ssl://127.0.0.1:9093/1" -> "127.0.0.1",
// "[::1]:9093/bootstrap" -> "::1"; the name as it is when it holds no host:port.
std::string HostOf(std::string_view broker) {
  std::string_view address = broker;
  if (const size_t scheme = address.find("://"); scheme != std::string_view::npos) {
    address.remove_prefix(scheme + 3);
  }
  address = address.substr(0, address.find('/'));
  if (auto hp = ParseHostPort(address)) return hp->host;
  return std::string(broker);
}

}  // namespace

const char* LibrdkafkaName(SaslMechanism m) {
  switch (m) {
    case SaslMechanism::kScramSha512:
      return "SCRAM-SHA-512";
    case SaslMechanism::kScramSha256:
      return "SCRAM-SHA-256";
    case SaslMechanism::kPlain:
      return "PLAIN";
  }
  return "?";
}

std::vector<KafkaProperty> SecurityProperties(const KafkaConfig& kafka) {
  std::vector<KafkaProperty> out;
  out.push_back({"kafka.security_protocol", "security.protocol", Name(kafka.security_protocol)});
  if (UsesSasl(kafka.security_protocol) || !kafka.sasl_username.empty()) {
    out.push_back(
        {"kafka.sasl_mechanism", "sasl.mechanisms", LibrdkafkaName(kafka.sasl_mechanism)});
  }
  const auto add_if_set = [&out](const char* key_path, const char* name, const std::string& v) {
    if (!v.empty()) out.push_back({key_path, name, v});
  };
  add_if_set("kafka.sasl_username", "sasl.username", kafka.sasl_username);
  add_if_set(kafka.sasl_password_file.empty() ? "kafka.sasl_password" : "kafka.sasl_password_file",
             "sasl.password", kafka.sasl_password);
  add_if_set("kafka.tls_ca_file", "ssl.ca.location", kafka.tls_ca_file);
  add_if_set("kafka.tls_cert_file", "ssl.certificate.location", kafka.tls_cert_file);
  add_if_set("kafka.tls_key_file", "ssl.key.location", kafka.tls_key_file);
  out.push_back({"kafka.tls_verify_hostname", "ssl.endpoint.identification.algorithm",
                 kafka.tls_verify_hostname ? "https" : "none"});
  return out;
}

void SetSecurity(KafkaConf& conf, const KafkaConfig& kafka) {
  for (const KafkaProperty& p : SecurityProperties(kafka)) {
    conf.Set(p.key_path, p.name.c_str(), p.value);
  }
}

SecurityDiagnosis::SecurityDiagnosis(const KafkaConfig& kafka)
    : ca_text_(
          kafka.tls_ca_file.empty()
              ? std::string("no CA of the system's store (kafka.tls_ca_file is not set)")
              : fmt::format("the CA in kafka.tls_ca_file (\"{}\") did not", kafka.tls_ca_file)),
      user_text_(fmt::format("user \"{}\" ({})", kafka.sasl_username,
                             LibrdkafkaName(kafka.sasl_mechanism))) {}

SecurityDiagnosis::Result SecurityDiagnosis::Get() const {
  MutexLock lock(&mu_);
  return last_;
}

int SecurityDiagnosis::OnCertificate(const char* broker_name, int x509_error, char* errstr,
                                     size_t errstr_size) {
  if (x509_error == 0) return 1;
  const std::string broker = broker_name != nullptr ? broker_name : "?";
  const std::string cert = fmt::format("the TLS certificate of broker {}", broker);
  std::string text;
  switch (x509_error) {
    case kHostnameMismatch:
    case kIpAddressMismatch:
      text = fmt::format(
          "{} is not valid for the name \"{}\" it was reached by (the certificate does not list "
          "it; kafka.tls_verify_hostname is true): connect by a name the certificate lists",
          cert, HostOf(broker));
      break;
    case kUnableToGetIssuerCert:
    case kCertSignatureFailure:
    case kDepthZeroSelfSigned:
    case kSelfSignedInChain:
    case kUnableToGetIssuerLocally:
    case kUnableToVerifyLeaf:
      text = fmt::format("{} is not trusted: {} sign it", cert, ca_text_);
      break;
    case kCertNotYetValid:
      text = fmt::format("{} is not valid yet (check the clocks)", cert);
      break;
    case kCertHasExpired:
      text = fmt::format("{} has expired", cert);
      break;
    default:
      text = fmt::format("{} failed verification (OpenSSL X509 error {})", cert, x509_error);
      break;
  }
  if (errstr != nullptr && errstr_size > 0) {
    const size_t n = std::min(text.size(), errstr_size - 1);
    std::memcpy(errstr, text.data(), n);
    errstr[n] = '\0';
  }
  MutexLock lock(&mu_);
  last_ = {std::move(text), true};
  return 0;
}

bool SecurityDiagnosis::OnError(rd_kafka_resp_err_t code, std::string_view reason) {
  if (code == RD_KAFKA_RESP_ERR__AUTHENTICATION) {
    std::string text = fmt::format(
        "SASL authentication as {} failed: check kafka.sasl_username and kafka.sasl_password "
        "(librdkafka: {})",
        user_text_, reason);
    MutexLock lock(&mu_);
    last_ = {std::move(text), true};
    return true;
  }
  if (code == RD_KAFKA_RESP_ERR__SSL) {
    MutexLock lock(&mu_);
    // The certificate callback said more about this handshake already.
    const bool verify_failed = reason.find("certificate verify failed") != std::string_view::npos;
    if (verify_failed && last_.definitive) return true;
    last_ = {fmt::format("TLS handshake failed: {}", reason), false};
    return true;
  }
  return false;
}

}  // namespace iiot
