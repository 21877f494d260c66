#include "verify/verify_cli.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string_view>
#include <utility>
#include <vector>

#include "base/exit_code.h"
#include "base/text.h"
#include "config/config_loader.h"
#include "verify/verify_command.h"

namespace iiot {

namespace {

// The verify subcommand's flags that set config keys (the rest of the config, e.g.
// kafka.properties, comes from --config and IIOT_* as for a run).
constexpr KeyFlag kVerifyKeyFlags[] = {
    {"--brokers", "kafka.brokers", "Kafka bootstrap servers (here or kafka.brokers: required)"},
    {"--topic", "kafka.topic", "topic to read"},
    {"--format", "output.format", "json | protobuf: how the messages were encoded"},
    {"--log-level", "log.level", "trace | debug | info | warn | error | off"},
};

constexpr const char* kVerifyExamples = R"(Examples:
  iiot-producer verify --brokers 127.0.0.1:9092 --topic plant
  iiot-producer verify --config config/loadtest.yaml --expect-devices 10000 --expect-per-device 20
  iiot-producer verify --brokers 127.0.0.1:9092 --topic plant --format protobuf --json

Reads the whole topic once, up to the end offsets at the start. See docs/verify.md.
Exit codes: 0 clean and as expected, 1 not clean, not as expected or a broker/topic error,
2 bad usage/config.)";

// Client log lines on stderr, so stdout holds only the report: warnings and errors (all
// with log.level debug/trace, errors only with error, none with off). Called from
// librdkafka's threads; one fprintf per line.
LogFn StderrLog(const std::string& level) {
  if (level == "off") return {};
  LogLevel min = LogLevel::kWarn;
  if (level == "trace" || level == "debug") min = LogLevel::kDebug;
  if (level == "error") min = LogLevel::kError;
  return [min](LogLevel l, std::string_view line) {
    if (l >= min) std::fprintf(stderr, "%s\n", text::Printable(line).c_str());
  };
}

// The program's own flags given before `verify` would be silently ignored: the first one,
// or nullptr.
const CLI::Option* RunFlagBeforeVerify(const CLI::App& verify) {
  const CLI::App* app = verify.get_parent();
  if (app == nullptr) return nullptr;
  for (const CLI::Option* opt : app->get_options()) {
    if (opt->count() > 0 && opt->get_name() != "--help") return opt;
  }
  return nullptr;
}

}  // namespace

CLI::App* AddVerifyCommand(CLI::App& app, VerifyFlags& flags) {
  CLI::App* verify = app.add_subcommand(
      "verify", "read a topic back and prove nothing was lost; exit 1 if not clean");
  verify->footer(kVerifyExamples);
  verify->add_option("-c,--config", flags.config_file,
                     "YAML config file: kafka.* as for the run (also IIOT_CONFIG)");
  flags.values.resize(std::size(kVerifyKeyFlags));
  for (size_t i = 0; i < std::size(kVerifyKeyFlags); ++i) {
    verify->add_option(kVerifyKeyFlags[i].flag, flags.values[i], kVerifyKeyFlags[i].help);
  }
  verify->add_option("--expect-devices", flags.expect_devices,
                     "exactly N distinct devices must be seen");
  verify->add_option("--expect-per-device", flags.expect_per_device,
                     "every device must have seqs exactly 1..M, each once");
  verify->add_option("--timeout", flags.timeout,
                     "give up with no broker or no progress for this long (default 30s)");
  verify->add_flag("--json", flags.json, "print the report as one JSON object");
  return verify;
}

// Config as for a run (file, IIOT_*, flags), then VerifyTopic.
int RunVerify(const CLI::App& cmd, const VerifyFlags& flags) {
  if (const CLI::Option* opt = RunFlagBeforeVerify(cmd)) {
    std::fprintf(stderr, "iiot-producer verify: %s goes after `verify`\n", opt->get_name().c_str());
    return kExitUsage;
  }
  std::vector<ConfigSources::Override> given;
  for (size_t i = 0; i < std::size(kVerifyKeyFlags); ++i) {
    if (cmd.count(kVerifyKeyFlags[i].flag) > 0) {
      given.push_back({kVerifyKeyFlags[i].key, flags.values[i], kVerifyKeyFlags[i].flag});
    }
  }
  const ConfigSources src = CommandLineSources(flags.config_file, std::move(given));
  VerifyOptions options;
  Config cfg;
  try {
    cfg = LoadConfig(src);
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "iiot-producer verify: invalid config: %s\n", e.what());
    return kExitUsage;
  }
  const Result<Millis> timeout = ParseDuration(flags.timeout);
  if (!timeout) {
    std::fprintf(stderr, "iiot-producer verify: --timeout: %s\n",
                 text::Printable(timeout.error().message).c_str());
    return kExitUsage;
  }
  options.timeout = *timeout;
  for (const auto& [flag, value] : {std::pair{"--expect-devices", flags.expect_devices},
                                    std::pair{"--expect-per-device", flags.expect_per_device}}) {
    if (cmd.count(flag) > 0 && value == 0) {
      std::fprintf(stderr, "iiot-producer verify: %s: must be at least 1\n", flag);
      return kExitUsage;
    }
  }
  if (options.timeout.count() <= 0) {
    std::fprintf(stderr, "iiot-producer verify: --timeout: must be more than 0\n");
    return kExitUsage;
  }
  if (cfg.kafka.brokers.empty()) {
    std::fprintf(stderr,
                 "iiot-producer verify: no brokers: give --brokers HOST:PORT[,...] or "
                 "kafka.brokers in the config. The embedded cluster lives only inside a "
                 "running producer, so there is nothing to read once it has exited.\n");
    return kExitUsage;
  }
  options.kafka = cfg.kafka;
  options.format = cfg.output.format;
  if (cmd.count("--expect-devices") > 0) options.expect.devices = flags.expect_devices;
  if (cmd.count("--expect-per-device") > 0) options.expect.per_device = flags.expect_per_device;

  const VerifyReport report = VerifyTopic(options, StderrLog(cfg.log.level));
  const std::string text = flags.json ? RenderJson(report) : RenderTable(report);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
  if (!report.error.empty()) {
    std::fprintf(stderr, "iiot-producer verify: %s\n", report.error.c_str());
    if (report.config_error) return kExitUsage;
  }
  return report.clean ? kExitOk : kExitFailure;
}

}  // namespace iiot
