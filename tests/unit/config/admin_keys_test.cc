// The admin, reload and alerts sections: admin.addr, the secret admin.token and its file,
// and the ranges of the readiness, reload and alert keys.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/host_port.h"
#include "config/config_loader.h"
#include "config_test_files.h"
#include "load_errors.h"

namespace iiot {
namespace {

constexpr const char* kSecret = "s3cr3t-T0ken_value";

Config Load(std::map<std::string, std::string> env,
            std::vector<ConfigSources::Override> overrides = {}) {
  ConfigSources src;
  src.env = std::move(env);
  src.overrides = std::move(overrides);
  return LoadConfig(src);
}

TEST(AdminKeys, DefaultsAreTheDocumentedOnes) {
  const Config cfg = Load({});
  EXPECT_EQ(cfg.admin.addr, "127.0.0.1:8080");
  EXPECT_EQ(cfg.admin.token, "");
  EXPECT_EQ(cfg.admin.token_file, "");
  EXPECT_EQ(cfg.admin.ready_min_success, 0.9);
  EXPECT_EQ(cfg.admin.ready_window, Millis{10'000});
  EXPECT_TRUE(cfg.reload.watch);
  EXPECT_EQ(cfg.reload.debounce, Millis{200});
  EXPECT_EQ(cfg.alerts.error_rate, 0.01);
  EXPECT_EQ(cfg.alerts.latency_p95, Millis{5000});
  EXPECT_EQ(cfg.alerts.queue_fill, 0.8);
  EXPECT_EQ(cfg.alerts.window, Millis{30'000});
}

TEST(AdminKeys, AddrAcceptsHostPortPortZeroAndOff) {
  for (const char* addr : {"0.0.0.0:9000", "localhost:0", "[::1]:8080", "off", "h:65535"}) {
    EXPECT_EQ(Load({}, {{"admin.addr", addr, "--admin-addr"}}).admin.addr, addr);
  }
  EXPECT_EQ(Load({{"IIOT_ADMIN_ADDR", "off"}}).admin.addr, "off");
}

TEST(AdminKeys, AddrRejectsWhatIsNotHostPortAndNamesTheKey) {
  for (const char* addr : {"localhost", "h:65536", ":8080", "h:", "h:80x", "::1:8080", "a b:80",
                           "OFF", "h:-1", "[::1]"}) {
    ConfigSources src;
    src.overrides = {{"admin.addr", addr, "--admin-addr"}};
    const ConfigError e = ErrorOf(src);
    EXPECT_EQ(e.key_path(), "admin.addr") << addr;
    EXPECT_EQ(e.where(), "--admin-addr") << addr;
    EXPECT_NE(e.message().find("is not host:port"), std::string::npos) << e.what();
  }
}

TEST(HostPort, SplitsHostAndPort) {
  EXPECT_EQ(ParseHostPort("127.0.0.1:8080"), (HostPort{"127.0.0.1", 8080}));
  EXPECT_EQ(ParseHostPort("[::1]:0"), (HostPort{"::1", 0}));
  EXPECT_EQ(ParseHostPort("my-host.local:65535"), (HostPort{"my-host.local", 65535}));
  EXPECT_FALSE(ParseHostPort("host:123456"));
  EXPECT_FALSE(ParseHostPort("[]:80"));
  EXPECT_FALSE(ParseHostPort("[host]:80"));
}

TEST(AdminKeys, TokenFromTheEnvironmentIsKeptAndRedactedInToYaml) {
  const Config cfg = Load({{"IIOT_ADMIN_TOKEN", kSecret}});
  EXPECT_EQ(cfg.admin.token, kSecret);
  const std::string yaml = ToYaml(cfg);
  EXPECT_EQ(yaml.find(kSecret), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("token: \"<redacted>\""), std::string::npos) << yaml;
  EXPECT_NE(ToYaml(Load({})).find("token: \"\""), std::string::npos);
}

TEST(AdminKeys, BadTokenErrorNeverShowsTheValue) {
  const std::string bad = std::string(kSecret) + " with a space";
  const ConfigError from_env = ErrorOfEnv({{"IIOT_ADMIN_TOKEN", bad}});
  EXPECT_EQ(from_env.key_path(), "admin.token");
  EXPECT_EQ(from_env.where(), "IIOT_ADMIN_TOKEN");
  EXPECT_EQ(std::string(from_env.what()).find(kSecret), std::string::npos) << from_env.what();
  EXPECT_NE(from_env.message().find("not a valid token"), std::string::npos);

  TempFile file("admin:\n  token: \"" + bad + "\"\n");
  ConfigSources src;
  src.file = file.path();
  const ConfigError from_file = ErrorOf(src);
  EXPECT_EQ(from_file.key_path(), "admin.token");
  EXPECT_EQ(std::string(from_file.what()).find(kSecret), std::string::npos) << from_file.what();

  Config cfg;
  cfg.fleet.profiles = DefaultProfiles();
  cfg.admin.token = bad;
  try {
    Validate(cfg);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).find(kSecret), std::string::npos) << e.what();
  }
}

TEST(AdminTokenFile, TokenIsReadWithTrailingWhitespaceStripped) {
  TempFile file(std::string(kSecret) + " \r\n\n\t");
  const Config cfg = Load({{"IIOT_ADMIN_TOKEN_FILE", file.path()}});
  EXPECT_EQ(cfg.admin.token, kSecret);
  EXPECT_EQ(cfg.admin.token_file, file.path());
}

TEST(AdminTokenFile, ToYamlShowsThePathHidesTheTokenAndLoadsBack) {
  TempFile file(std::string(kSecret) + "\n");
  TempFile yaml("admin:\n  token_file: \"" + file.path() + "\"\n");
  ConfigSources src;
  src.file = yaml.path();
  const Config cfg = LoadConfig(src);
  const std::string dump = ToYaml(cfg);
  EXPECT_EQ(dump.find(kSecret), std::string::npos) << dump;
  EXPECT_NE(dump.find("token_file: \"" + file.path() + "\""), std::string::npos) << dump;
  TempFile again(dump);
  src.file = again.path();
  EXPECT_EQ(LoadConfig(src), cfg);
}

TEST(AdminTokenFile, MissingFileNamesTheKeyAndThePath) {
  const std::string path = "/nonexistent/iiot/admin-token";
  const ConfigError e = ErrorOfEnv({{"IIOT_ADMIN_TOKEN_FILE", path}});
  EXPECT_EQ(e.key_path(), "admin.token_file");
  EXPECT_EQ(e.where(), "IIOT_ADMIN_TOKEN_FILE");
  EXPECT_NE(e.message().find(path), std::string::npos) << e.what();
  EXPECT_NE(e.message().find("No such file or directory"), std::string::npos) << e.what();
}

TEST(AdminTokenFile, DirectoryIsAnError) {
  const ConfigError e =
      ErrorOfEnv({{"IIOT_ADMIN_TOKEN_FILE", std::filesystem::temp_directory_path().string()}});
  EXPECT_EQ(e.key_path(), "admin.token_file");
}

TEST(AdminTokenFile, EmptyOrBlankFileIsAnError) {
  for (const char* content : {"", "\n", "  \r\n\t\n"}) {
    TempFile file(content);
    const ConfigError e = ErrorOfEnv({{"IIOT_ADMIN_TOKEN_FILE", file.path()}});
    EXPECT_EQ(e.key_path(), "admin.token_file");
    EXPECT_NE(e.message().find(file.path()), std::string::npos) << e.what();
    EXPECT_NE(e.message().find("holds no token"), std::string::npos) << e.what();
  }
}

TEST(AdminTokenFile, InvalidContentIsNotShown) {
  TempFile file(std::string(kSecret) + "\nsecond line\n");
  const ConfigError e = ErrorOfEnv({{"IIOT_ADMIN_TOKEN_FILE", file.path()}});
  EXPECT_EQ(e.key_path(), "admin.token_file");
  EXPECT_EQ(std::string(e.what()).find(kSecret), std::string::npos) << e.what();
  EXPECT_EQ(std::string(e.what()).find("second"), std::string::npos) << e.what();
}

TEST(AdminTokenFile, SettingBothTokenAndFileIsAnError) {
  TempFile file(kSecret);
  TempFile yaml("admin:\n  token_file: \"" + file.path() + "\"\n");
  ConfigSources src;
  src.file = yaml.path();
  src.env = {{"IIOT_ADMIN_TOKEN", "other-token"}};
  const ConfigError e = ErrorOf(src);
  EXPECT_EQ(e.key_path(), "admin.token_file");
  EXPECT_EQ(e.where(), yaml.path() + ":2:15");
  EXPECT_NE(e.message().find("admin.token"), std::string::npos) << e.what();
  EXPECT_EQ(std::string(e.what()).find("other-token"), std::string::npos) << e.what();
}

TEST(ReloadAndAlertKeys, AreSetFromEverySource) {
  TempFile file("reload:\n  watch: false\nalerts:\n  latency_p95: 250ms\n");
  ConfigSources src;
  src.file = file.path();
  src.env = {{"IIOT_RELOAD_DEBOUNCE", "0"},
             {"IIOT_ALERTS_ERROR_RATE", "0.5"},
             {"IIOT_ADMIN_READY_WINDOW", "1m"}};
  src.overrides = {{"alerts.window", "1h", "--x"}, {"admin.ready_min_success", "1", "--y"}};
  const Config cfg = LoadConfig(src);
  EXPECT_FALSE(cfg.reload.watch);
  EXPECT_EQ(cfg.reload.debounce, Millis{0});
  EXPECT_EQ(cfg.alerts.latency_p95, Millis{250});
  EXPECT_EQ(cfg.alerts.error_rate, 0.5);
  EXPECT_EQ(cfg.admin.ready_window, Millis{60'000});
  EXPECT_EQ(cfg.alerts.window, Millis{3'600'000});
  EXPECT_EQ(cfg.admin.ready_min_success, 1.0);
}

TEST(ReloadAndAlertKeys, OutOfRangeValuesNameTheKey) {
  struct Case {
    const char* variable;
    const char* value;
    const char* key;
  };
  for (const Case& c : std::vector<Case>{
           {"IIOT_ADMIN_READY_MIN_SUCCESS", "1.5", "admin.ready_min_success"},
           {"IIOT_ADMIN_READY_WINDOW", "500ms", "admin.ready_window"},
           {"IIOT_ADMIN_READY_WINDOW", "2h", "admin.ready_window"},
           {"IIOT_RELOAD_DEBOUNCE", "11s", "reload.debounce"},
           {"IIOT_RELOAD_WATCH", "maybe", "reload.watch"},
           {"IIOT_ALERTS_ERROR_RATE", "-0.1", "alerts.error_rate"},
           {"IIOT_ALERTS_QUEUE_FILL", "2", "alerts.queue_fill"},
           {"IIOT_ALERTS_LATENCY_P95", "0", "alerts.latency_p95"},
           {"IIOT_ALERTS_WINDOW", "0.5", "alerts.window"},
       }) {
    const ConfigError e = ErrorOfEnv({{c.variable, c.value}});
    EXPECT_EQ(e.where(), c.variable);
    EXPECT_EQ(e.key_path(), c.key) << e.what();
  }
}

}  // namespace
}  // namespace iiot
