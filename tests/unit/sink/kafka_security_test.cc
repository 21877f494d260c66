// The security keys as librdkafka properties (SecurityProperties, SetSecurity) and the
// words SecurityDiagnosis finds for failed TLS handshakes and SASL logins.
#include "sink/kafka_security.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace iiot {
namespace {

std::string Get(const KafkaConf& conf, const char* name) {
  char value[512];
  size_t size = sizeof(value);
  if (rd_kafka_conf_get(conf.get(), name, value, &size) != RD_KAFKA_CONF_OK) return "<unset>";
  return value;
}

KafkaConfig SaslSsl() {
  KafkaConfig k;
  k.security_protocol = SecurityProtocol::kSaslSsl;
  k.sasl_username = "iiot";
  k.sasl_password = "secret-password";
  k.tls_ca_file = "/etc/iiot/ca.pem";
  return k;
}

TEST(KafkaSecurity, DefaultsArePlaintextWithHostnameVerification) {
  const std::vector<KafkaProperty> expected = {
      {"kafka.security_protocol", "security.protocol", "plaintext"},
      {"kafka.tls_verify_hostname", "ssl.endpoint.identification.algorithm", "https"},
  };
  EXPECT_EQ(SecurityProperties(KafkaConfig{}), expected);
}

TEST(KafkaSecurity, SaslSslMapsEveryKey) {
  KafkaConfig k = SaslSsl();
  k.sasl_mechanism = SaslMechanism::kScramSha256;
  k.tls_cert_file = "/etc/iiot/client.pem";
  k.tls_key_file = "/etc/iiot/client.key";
  k.tls_verify_hostname = false;
  const std::vector<KafkaProperty> expected = {
      {"kafka.security_protocol", "security.protocol", "sasl_ssl"},
      {"kafka.sasl_mechanism", "sasl.mechanisms", "SCRAM-SHA-256"},
      {"kafka.sasl_username", "sasl.username", "iiot"},
      {"kafka.sasl_password", "sasl.password", "secret-password"},
      {"kafka.tls_ca_file", "ssl.ca.location", "/etc/iiot/ca.pem"},
      {"kafka.tls_cert_file", "ssl.certificate.location", "/etc/iiot/client.pem"},
      {"kafka.tls_key_file", "ssl.key.location", "/etc/iiot/client.key"},
      {"kafka.tls_verify_hostname", "ssl.endpoint.identification.algorithm", "none"},
  };
  EXPECT_EQ(SecurityProperties(k), expected);
}

TEST(KafkaSecurity, PasswordFromAFileIsReportedUnderTheFileKey) {
  KafkaConfig k = SaslSsl();
  k.sasl_password_file = "/run/secrets/kafka";
  for (const KafkaProperty& p : SecurityProperties(k)) {
    if (p.name == "sasl.password") {
      EXPECT_EQ(p.key_path, "kafka.sasl_password_file");
    }
  }
}

TEST(KafkaSecurity, MechanismNamesAreLibrdkafkas) {
  EXPECT_STREQ(LibrdkafkaName(SaslMechanism::kScramSha512), "SCRAM-SHA-512");
  EXPECT_STREQ(LibrdkafkaName(SaslMechanism::kScramSha256), "SCRAM-SHA-256");
  EXPECT_STREQ(LibrdkafkaName(SaslMechanism::kPlain), "PLAIN");
}

// librdkafka (built with SSL and SASL/SCRAM) takes every value the keys can produce.
TEST(KafkaSecurity, LibrdkafkaAcceptsTheProperties) {
  for (SecurityProtocol p : {SecurityProtocol::kPlaintext, SecurityProtocol::kSsl,
                             SecurityProtocol::kSaslPlaintext, SecurityProtocol::kSaslSsl}) {
    for (SaslMechanism m :
         {SaslMechanism::kScramSha512, SaslMechanism::kScramSha256, SaslMechanism::kPlain}) {
      KafkaConfig k = SaslSsl();
      k.security_protocol = p;
      k.sasl_mechanism = m;
      KafkaConf conf;
      SetSecurity(conf, k);
      EXPECT_EQ(conf.error(), "") << Name(p) << " " << Name(m);
      EXPECT_EQ(Get(conf, "security.protocol"), Name(p));
      EXPECT_EQ(Get(conf, "sasl.mechanisms"), LibrdkafkaName(m));
    }
  }
  KafkaConf conf;
  SetSecurity(conf, SaslSsl());
  EXPECT_EQ(Get(conf, "sasl.username"), "iiot");
  EXPECT_EQ(Get(conf, "ssl.ca.location"), "/etc/iiot/ca.pem");
  EXPECT_EQ(Get(conf, "ssl.endpoint.identification.algorithm"), "https");
}

TEST(KafkaSecurity, UntrustedCertificateNamesTheBrokerAndTheCaFile) {
  SecurityDiagnosis d(SaslSsl());
  EXPECT_EQ(d.Get().text, "");
  EXPECT_EQ(d.OnCertificate("127.0.0.1:9093", 0, nullptr, 0), 1);  // fine: kept
  EXPECT_EQ(d.Get().text, "");
  char errstr[512] = "";
  EXPECT_EQ(d.OnCertificate("127.0.0.1:9093", 20, errstr, sizeof(errstr)), 0);
  const SecurityDiagnosis::Result r = d.Get();
  EXPECT_TRUE(r.definitive);
  EXPECT_EQ(r.text,
            "the TLS certificate of broker 127.0.0.1:9093 is not trusted: the CA in "
            "kafka.tls_ca_file (\"/etc/iiot/ca.pem\") did not sign it");
  EXPECT_EQ(std::string(errstr), r.text);
  // The handshake error that follows keeps the more precise words.
  EXPECT_TRUE(d.OnError(RD_KAFKA_RESP_ERR__SSL,
                        "SSL handshake failed: error:0A000086:SSL routines::certificate verify "
                        "failed"));
  EXPECT_EQ(d.Get().text, r.text);
}

TEST(KafkaSecurity, HostnameMismatchSaysWhichName) {
  SecurityDiagnosis d(SaslSsl());
  char small[16];
  EXPECT_EQ(d.OnCertificate("broker-7.example:9093", 62, small, sizeof(small)), 0);
  EXPECT_EQ(std::string(small).size(), sizeof(small) - 1);  // truncated, terminated
  const std::string text = d.Get().text;
  EXPECT_NE(text.find("broker broker-7.example:9093"), std::string::npos) << text;
  EXPECT_NE(text.find("not valid for the name \"broker-7.example\""), std::string::npos) << text;
  EXPECT_NE(text.find("kafka.tls_verify_hostname"), std::string::npos) << text;
}

TEST(KafkaSecurity, HostnameMismatchFindsTheHostInLibrdkafkasBrokerNames) {
  const std::pair<const char*, const char*> names[] = {
      {"sasl_ssl://broker-7.example:9093/7", "broker-7.example"},
      {"ssl://[::1]:9093/bootstrap", "::1"},
      {"10.0.0.5:9093/2", "10.0.0.5"},
      {"no-port", "no-port"}};
  for (const auto& [broker, host] : names) {
    SecurityDiagnosis d(SaslSsl());
    d.OnCertificate(broker, 64, nullptr, 0);
    const std::string text = d.Get().text;
    EXPECT_NE(text.find(std::string("not valid for the name \"") + host + "\""), std::string::npos)
        << text;
  }
}

TEST(KafkaSecurity, SystemStoreIsNamedWhenNoCaFileIsSet) {
  KafkaConfig k = SaslSsl();
  k.tls_ca_file.clear();
  SecurityDiagnosis d(k);
  d.OnCertificate("h:1", 19, nullptr, 0);
  EXPECT_NE(d.Get().text.find("no CA of the system's store"), std::string::npos) << d.Get().text;
}

TEST(KafkaSecurity, RefusedLoginNamesTheUserAndMechanism) {
  SecurityDiagnosis d(SaslSsl());
  EXPECT_FALSE(d.OnError(RD_KAFKA_RESP_ERR__TRANSPORT, "Connection refused"));
  EXPECT_EQ(d.Get().text, "");
  EXPECT_TRUE(d.OnError(RD_KAFKA_RESP_ERR__AUTHENTICATION,
                        "SASL authentication error: Authentication failed"));
  const SecurityDiagnosis::Result r = d.Get();
  EXPECT_TRUE(r.definitive);
  EXPECT_NE(r.text.find("SASL authentication as user \"iiot\" (SCRAM-SHA-512) failed"),
            std::string::npos)
      << r.text;
  EXPECT_EQ(r.text.find("secret-password"), std::string::npos) << r.text;
}

TEST(KafkaSecurity, OtherTlsFailuresAreNotDefinitive) {
  SecurityDiagnosis d(SaslSsl());
  EXPECT_TRUE(d.OnError(RD_KAFKA_RESP_ERR__SSL, "SSL handshake failed: Disconnected"));
  EXPECT_FALSE(d.Get().definitive);
  EXPECT_EQ(d.Get().text, "TLS handshake failed: SSL handshake failed: Disconnected");
}

}  // namespace
}  // namespace iiot
