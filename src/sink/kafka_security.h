// TLS and SASL towards the brokers, for the producer (KafkaSink) and the reader
// (TopicReader) alike:
//  - SecurityProperties / SetSecurity: kafka.security_protocol, kafka.sasl_* and kafka.tls_*
//    as librdkafka properties (kafka.properties, set afterwards, still win);
//  - SecurityDiagnosis: what a failed TLS handshake or SASL login means, in words that name
//    the broker and the setting to look at, gathered from librdkafka's callbacks.
//
// Example:
//   KafkaConf conf;
//   SetSecurity(conf, kafka);
//   conf.SetAll(kafka.properties);
//   SecurityDiagnosis diagnosis(kafka);
//   rd_kafka_conf_set_ssl_cert_verify_cb(conf.get(), &MyVerifyCallback);  // -> OnCertificate
//   ... error callback -> diagnosis.OnError(code, reason) ...
//   if (auto d = diagnosis.Get(); d.definitive) return d.text;  // e.g. a wrong password
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/mutex.h"
#include "config/config.h"
#include "sink/kafka_conf.h"

namespace iiot {

// One librdkafka property and the key path it comes from (for errors).
struct KafkaProperty {
  std::string key_path;  // "kafka.tls_ca_file"
  std::string name;      // "ssl.ca.location"
  std::string value;

  bool operator==(const KafkaProperty&) const = default;
};

// The security keys as librdkafka properties, in the order they are set:
// security.protocol always; sasl.mechanisms when SASL is used or a user is set;
// sasl.username, sasl.password, ssl.ca.location, ssl.certificate.location and
// ssl.key.location when set; ssl.endpoint.identification.algorithm (https|none) always.
std::vector<KafkaProperty> SecurityProperties(const KafkaConfig& kafka);

// Sets SecurityProperties(kafka) on conf; a rejection names the key, never a value.
void SetSecurity(KafkaConf& conf, const KafkaConfig& kafka);

// The last security failure seen on a client's broker connections. Thread-safe: the
// callbacks run on librdkafka's threads, Get on any thread.
class SecurityDiagnosis {
 public:
  explicit SecurityDiagnosis(const KafkaConfig& kafka);

  struct Result {
    std::string text;         // "" when none was seen
    bool definitive = false;  // an untrusted certificate or refused credentials: retrying
                              // with the same settings cannot help
  };
  Result Get() const;

  // For rd_kafka_conf_set_ssl_cert_verify_cb: keeps OpenSSL's verdict (returns 1 when
  // *x509_error is 0, else 0) and, on a failure, notes what it means and writes that to
  // errstr (which librdkafka logs).
  int OnCertificate(const char* broker_name, int x509_error, char* errstr, size_t errstr_size);

  // From an error callback: notes _SSL and _AUTHENTICATION errors. False for other codes.
  bool OnError(rd_kafka_resp_err_t code, std::string_view reason);

 private:
  std::string ca_text_;    // "kafka.tls_ca_file (\"/etc/ca.pem\")" or the system's store
  std::string user_text_;  // "user \"iiot\" (SCRAM-SHA-512)"
  mutable Mutex mu_;
  Result last_;
};

// The librdkafka name of a mechanism: "SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN".
const char* LibrdkafkaName(SaslMechanism m);

}  // namespace iiot
