// The security keys: kafka.security_protocol, kafka.sasl_*, kafka.tls_*; the secret
// kafka.sasl_password and its file; the checks between them; restarts on reload.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/config_loader.h"
#include "config_test_files.h"
#include "load_errors.h"

namespace iiot {
namespace {

constexpr const char* kPassword = "Pa55-w0rd with spaces";

Config Load(std::map<std::string, std::string> env) {
  ConfigSources src;
  src.env = std::move(env);
  return LoadConfig(src);
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A complete SASL_SSL setup through the environment, with a readable CA file.
std::map<std::string, std::string> SaslSsl(const std::string& ca) {
  return {{"IIOT_KAFKA_SECURITY_PROTOCOL", "sasl_ssl"},
          {"IIOT_KAFKA_SASL_USERNAME", "iiot"},
          {"IIOT_KAFKA_SASL_PASSWORD", kPassword},
          {"IIOT_KAFKA_TLS_CA_FILE", ca}};
}

TEST(SecurityKeys, DefaultsArePlaintextWithHostnameVerification) {
  const Config cfg = Load({});
  EXPECT_EQ(cfg.kafka.security_protocol, SecurityProtocol::kPlaintext);
  EXPECT_EQ(cfg.kafka.sasl_mechanism, SaslMechanism::kScramSha512);
  EXPECT_EQ(cfg.kafka.sasl_username, "");
  EXPECT_EQ(cfg.kafka.sasl_password, "");
  EXPECT_EQ(cfg.kafka.tls_ca_file, "");
  EXPECT_TRUE(cfg.kafka.tls_verify_hostname);
}

TEST(SecurityKeys, SaslSslLoadsFromTheEnvironment) {
  TempFile ca("-----BEGIN CERTIFICATE-----\n", ".pem");
  const Config cfg = Load(SaslSsl(ca.path()));
  EXPECT_EQ(cfg.kafka.security_protocol, SecurityProtocol::kSaslSsl);
  EXPECT_EQ(cfg.kafka.sasl_username, "iiot");
  EXPECT_EQ(cfg.kafka.sasl_password, kPassword);
  EXPECT_EQ(cfg.kafka.tls_ca_file, ca.path());
}

TEST(SecurityKeys, ChoicesTakeKafkasOwnSpellingToo) {
  TempFile ca("x", ".pem");
  auto env = SaslSsl(ca.path());
  env["IIOT_KAFKA_SECURITY_PROTOCOL"] = "SASL_SSL";
  env["IIOT_KAFKA_SASL_MECHANISM"] = "SCRAM-SHA-256";
  const Config cfg = Load(env);
  EXPECT_EQ(cfg.kafka.security_protocol, SecurityProtocol::kSaslSsl);
  EXPECT_EQ(cfg.kafka.sasl_mechanism, SaslMechanism::kScramSha256);
  EXPECT_EQ(Load({{"IIOT_KAFKA_SECURITY_PROTOCOL", "Ssl"}}).kafka.security_protocol,
            SecurityProtocol::kSsl);
}

TEST(SecurityKeys, UnknownChoicesNameTheKeyAndTheChoices) {
  const ConfigError e = ErrorOfEnv({{"IIOT_KAFKA_SECURITY_PROTOCOL", "tls"}});
  EXPECT_EQ(e.key_path(), "kafka.security_protocol");
  EXPECT_TRUE(Contains(e.message(), "plaintext|ssl|sasl_plaintext|sasl_ssl")) << e.what();
  const ConfigError m = ErrorOfEnv({{"IIOT_KAFKA_SASL_MECHANISM", "gssapi"}});
  EXPECT_EQ(m.key_path(), "kafka.sasl_mechanism");
  EXPECT_TRUE(Contains(m.message(), "scram-sha-512|scram-sha-256|plain")) << m.what();
}

TEST(SecurityKeys, SaslNeedsAUserAndAPassword) {
  TempFile ca("x", ".pem");
  auto env = SaslSsl(ca.path());
  env.erase("IIOT_KAFKA_SASL_USERNAME");
  ConfigError e = ErrorOfEnv(env);
  EXPECT_EQ(e.key_path(), "kafka.sasl_username");
  EXPECT_TRUE(Contains(e.message(), "required when kafka.security_protocol is sasl_ssl"))
      << e.what();
  EXPECT_EQ(e.where(), "");  // no source set the user name

  env = SaslSsl(ca.path());
  env.erase("IIOT_KAFKA_SASL_PASSWORD");
  e = ErrorOfEnv(env);
  EXPECT_EQ(e.key_path(), "kafka.sasl_password");
  EXPECT_TRUE(Contains(e.message(), "kafka.sasl_password_file")) << e.what();
}

TEST(SecurityKeys, SettingsTheProtocolWouldIgnoreAreErrors) {
  ConfigError e = ErrorOfEnv({{"IIOT_KAFKA_SASL_USERNAME", "iiot"}});
  EXPECT_EQ(e.key_path(), "kafka.sasl_username");
  EXPECT_TRUE(Contains(e.message(), "does not use SASL")) << e.what();

  TempFile ca("x", ".pem");
  e = ErrorOfEnv({{"IIOT_KAFKA_TLS_CA_FILE", ca.path()},
                  {"IIOT_KAFKA_SECURITY_PROTOCOL", "sasl_plaintext"},
                  {"IIOT_KAFKA_SASL_USERNAME", "u"},
                  {"IIOT_KAFKA_SASL_PASSWORD", kPassword}});
  EXPECT_EQ(e.key_path(), "kafka.tls_ca_file");
  EXPECT_TRUE(Contains(e.message(), "does not use TLS")) << e.what();

  // kafka.properties choosing the protocol itself: the keys are passed on as they are.
  const Config cfg = Load({{"IIOT_KAFKA_SASL_USERNAME", "iiot"},
                           {"IIOT_KAFKA_PROPERTIES", "{security.protocol: SASL_SSL}"}});
  EXPECT_EQ(cfg.kafka.sasl_username, "iiot");
}

TEST(SecurityKeys, MissingFilesNameTheKeyAndThePath) {
  for (const char* var : {"IIOT_KAFKA_TLS_CA_FILE", "IIOT_KAFKA_TLS_CERT_FILE"}) {
    std::map<std::string, std::string> env = {{"IIOT_KAFKA_SECURITY_PROTOCOL", "ssl"},
                                              {var, "/nonexistent/iiot/file.pem"}};
    TempFile other("x", ".pem");
    if (std::string(var) == "IIOT_KAFKA_TLS_CERT_FILE")
      env["IIOT_KAFKA_TLS_KEY_FILE"] = other.path();
    const ConfigError e = ErrorOfEnv(env);
    EXPECT_EQ(e.where(), var);
    EXPECT_TRUE(Contains(e.message(), "/nonexistent/iiot/file.pem")) << e.what();
    EXPECT_TRUE(Contains(e.message(), "No such file or directory")) << e.what();
  }
  const ConfigError dir =
      ErrorOfEnv({{"IIOT_KAFKA_SECURITY_PROTOCOL", "ssl"},
                  {"IIOT_KAFKA_TLS_CA_FILE", std::filesystem::temp_directory_path().string()}});
  EXPECT_EQ(dir.key_path(), "kafka.tls_ca_file");
  EXPECT_TRUE(Contains(dir.message(), "is a directory")) << dir.what();
}

TEST(SecurityKeys, APipeInsteadOfAFileIsRefusedWithoutBlocking) {
  // Opening a FIFO for reading would wait for a writer forever: refused before opening.
  const std::string fifo =
      (std::filesystem::temp_directory_path() / ("iiot_fifo_" + std::to_string(::getpid())))
          .string();
  std::filesystem::remove(fifo);  // left by a crashed run with the same pid
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::unique_ptr<const std::string, void (*)(const std::string*)> removed(
      &fifo, [](const std::string* path) { std::filesystem::remove(*path); });
  ConfigError e =
      ErrorOfEnv({{"IIOT_KAFKA_SECURITY_PROTOCOL", "ssl"}, {"IIOT_KAFKA_TLS_CA_FILE", fifo}});
  EXPECT_EQ(e.key_path(), "kafka.tls_ca_file");
  EXPECT_TRUE(Contains(e.message(), "is not a regular file")) << e.what();
  e = ErrorOfEnv({{"IIOT_KAFKA_SECURITY_PROTOCOL", "sasl_ssl"},
                  {"IIOT_KAFKA_SASL_USERNAME", "iiot"},
                  {"IIOT_KAFKA_SASL_PASSWORD_FILE", fifo}});
  EXPECT_EQ(e.key_path(), "kafka.sasl_password_file");
  EXPECT_TRUE(Contains(e.message(), "is not a regular file")) << e.what();
}

TEST(SecurityKeys, CertificateAndKeyGoTogether) {
  TempFile cert("x", ".pem");
  ConfigError e = ErrorOfEnv(
      {{"IIOT_KAFKA_SECURITY_PROTOCOL", "ssl"}, {"IIOT_KAFKA_TLS_CERT_FILE", cert.path()}});
  EXPECT_EQ(e.key_path(), "kafka.tls_key_file");
  e = ErrorOfEnv(
      {{"IIOT_KAFKA_SECURITY_PROTOCOL", "ssl"}, {"IIOT_KAFKA_TLS_KEY_FILE", cert.path()}});
  EXPECT_EQ(e.key_path(), "kafka.tls_cert_file");
}

TEST(SecurityKeys, PasswordIsRedactedInToYamlAndComparedByValue) {
  TempFile ca("x", ".pem");
  const Config cfg = Load(SaslSsl(ca.path()));
  const std::string yaml = ToYaml(cfg);
  EXPECT_FALSE(Contains(yaml, kPassword)) << yaml;
  EXPECT_TRUE(Contains(yaml, "sasl_password: \"<redacted>\"")) << yaml;
  EXPECT_TRUE(Contains(yaml, "security_protocol: sasl_ssl")) << yaml;
  EXPECT_TRUE(Contains(ToYaml(Load({})), "sasl_password: \"\""));

  auto env = SaslSsl(ca.path());
  env["IIOT_KAFKA_SASL_PASSWORD"] = "another password";
  EXPECT_EQ(ChangedKeys(cfg, Load(env)), std::vector<std::string>{"kafka.sasl_password"});
}

TEST(SecurityKeys, BadPasswordErrorNeverShowsTheValue) {
  const std::string bad = std::string(kPassword) + "\x01";
  const ConfigError e = ErrorOfEnv({{"IIOT_KAFKA_SASL_PASSWORD", bad}});
  EXPECT_EQ(e.key_path(), "kafka.sasl_password");
  EXPECT_EQ(e.where(), "IIOT_KAFKA_SASL_PASSWORD");
  EXPECT_FALSE(Contains(e.what(), kPassword)) << e.what();
  EXPECT_TRUE(Contains(e.message(), "the value is not shown")) << e.what();

  // A password with nothing to use it is refused without showing it either.
  const ConfigError unused = ErrorOfEnv({{"IIOT_KAFKA_SASL_PASSWORD", kPassword}});
  EXPECT_EQ(unused.key_path(), "kafka.sasl_password");
  EXPECT_FALSE(Contains(unused.what(), kPassword)) << unused.what();
}

TEST(SecurityKeys, MalformedKafkaPropertiesNeverShowTheirText) {
  // librdkafka's own password properties can come this way too.
  ConfigError e = ErrorOfEnv({{"IIOT_KAFKA_PROPERTIES", "{sasl.password: \"s3cret-Value}"}});
  EXPECT_EQ(e.key_path(), "kafka.properties");
  EXPECT_TRUE(Contains(e.message(), "not valid YAML at column")) << e.what();
  EXPECT_FALSE(Contains(e.what(), "s3cret-Value")) << e.what();

  // yaml-cpp names the bad escape character itself ("unknown escape character: q").
  e = ErrorOfEnv({{"IIOT_KAFKA_PROPERTIES", "{sasl.password: \"Qq\\qQ\"}"}});
  EXPECT_TRUE(Contains(e.message(), "unknown escape character (the text")) << e.what();
  EXPECT_FALSE(Contains(e.what(), ": q")) << e.what();

  e = ErrorOfEnv({{"IIOT_KAFKA_PROPERTIES", "sasl.password=s3cret-Value"}});
  EXPECT_TRUE(Contains(e.message(), "a single value (not shown)")) << e.what();
  EXPECT_FALSE(Contains(e.what(), "s3cret-Value")) << e.what();
}

TEST(SaslPasswordFile, IsReadWithTrailingWhitespaceStrippedAndLoadsBack) {
  TempFile ca("x", ".pem");
  TempFile pw(std::string(kPassword) + "\r\n\n", "");
  auto env = SaslSsl(ca.path());
  env.erase("IIOT_KAFKA_SASL_PASSWORD");
  env["IIOT_KAFKA_SASL_PASSWORD_FILE"] = pw.path();
  const Config cfg = Load(env);
  EXPECT_EQ(cfg.kafka.sasl_password, kPassword);

  const std::string dump = ToYaml(cfg);
  EXPECT_FALSE(Contains(dump, kPassword)) << dump;
  EXPECT_TRUE(Contains(dump, "sasl_password: \"\"")) << dump;
  TempFile again(dump);
  ConfigSources src;
  src.file = again.path();
  EXPECT_EQ(LoadConfig(src), cfg);
}

TEST(SaslPasswordFile, ProblemsNameTheKeyAndPathButNotTheContent) {
  ConfigError e = ErrorOfEnv({{"IIOT_KAFKA_SASL_PASSWORD_FILE", "/nonexistent/iiot/pw"}});
  EXPECT_EQ(e.key_path(), "kafka.sasl_password_file");
  EXPECT_EQ(e.where(), "IIOT_KAFKA_SASL_PASSWORD_FILE");
  EXPECT_TRUE(Contains(e.message(), "/nonexistent/iiot/pw")) << e.what();

  TempFile blank(" \n", "");
  e = ErrorOfEnv({{"IIOT_KAFKA_SASL_PASSWORD_FILE", blank.path()}});
  EXPECT_TRUE(Contains(e.message(), "holds no password")) << e.what();

  TempFile two_lines(std::string(kPassword) + "\nsecond line\n", "");
  e = ErrorOfEnv({{"IIOT_KAFKA_SASL_PASSWORD_FILE", two_lines.path()}});
  EXPECT_EQ(e.key_path(), "kafka.sasl_password_file");
  EXPECT_FALSE(Contains(e.what(), kPassword)) << e.what();
  EXPECT_FALSE(Contains(e.what(), "second")) << e.what();

  TempFile pw(kPassword, "");
  e = ErrorOfEnv(
      {{"IIOT_KAFKA_SASL_PASSWORD_FILE", pw.path()}, {"IIOT_KAFKA_SASL_PASSWORD", "other"}});
  EXPECT_EQ(e.key_path(), "kafka.sasl_password_file");
  EXPECT_TRUE(Contains(e.message(), "cannot be set together")) << e.what();
}

}  // namespace
}  // namespace iiot
