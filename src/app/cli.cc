#include "app/cli.h"

#include <CLI/CLI.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "app/run_command.h"
#include "config/config_loader.h"
#include "verify/verify_command.h"

namespace iiot {

namespace {

// A flag that sets one config key; the loader parses and validates the text so a bad
// value is reported the same way as in a file ("--devices: fleet.devices: ...").
struct KeyFlag {
  const char* flag;
  const char* key;
  const char* help;
};

constexpr KeyFlag kKeyFlags[] = {
    {"--devices", "fleet.devices", "number of devices to simulate (1..10,000,000)"},
    {"--interval", "run.interval", "every device reports this often (e.g. 5s; overrides profiles)"},
    {"--mode", "run.mode", "realtime | rate | max | backfill"},
    {"--rate", "run.rate", "rate mode: messages per second for this instance"},
    {"--count", "run.count", "stop after this many messages"},
    {"--duration", "run.duration", "stop after this wall-clock time (e.g. 30s, 10m)"},
    {"--start", "run.start", "max mode: simulated start time (ISO-8601 UTC, default now)"},
    {"--from", "run.from", "backfill: simulated range start (ISO-8601 UTC)"},
    {"--to", "run.to", "backfill: simulated range end (ISO-8601 UTC)"},
    {"--speed", "run.speed", "backfill: N x real time (0 = as fast as possible)"},
    {"--seed", "run.seed", "random seed; same seed and start give the same messages"},
    {"--threads", "run.threads", "worker threads (0 = one per core)"},
    {"--shard", "run.shard", "simulate slice i of N of the fleet (e.g. 0/4)"},
    {"--brokers", "kafka.brokers", "Kafka bootstrap servers (empty: embedded in-process cluster)"},
    {"--topic", "kafka.topic", "Kafka topic"},
    {"--sink", "output.sink", "kafka | stdout | file"},
    {"--format", "output.format", "json | protobuf"},
    {"--output", "output.file", "file sink: path to write"},
    {"--on-queue-full", "output.on_queue_full", "block | drop"},
    {"--log-level", "log.level", "trace | debug | info | warn | error | off"},
    {"--admin-addr", "admin.addr",
     "admin HTTP address (host:port, port 0 = any free port, off = none)"},
};

constexpr const char* kExamples = R"(Examples:
  iiot-producer                                   10,000 devices, real time, embedded Kafka
  iiot-producer --brokers 127.0.0.1:9092 --topic plant --devices 50000
  iiot-producer --sink stdout --mode max --start 2026-01-01T00:00:00Z --devices 100 --count 1000 --seed 7
  iiot-producer --mode rate --rate 200000 --brokers 127.0.0.1:9092 --duration 5m
  iiot-producer --mode backfill --from 2026-01-01 --to 2026-01-02 --brokers 127.0.0.1:9092
  iiot-producer --config config/loadtest.yaml --shard 0/4
  iiot-producer validate-config config/demo.yaml
  iiot-producer verify --brokers 127.0.0.1:9092 --topic plant --expect-per-device 100

Precedence: flags > IIOT_* environment > config file > defaults. See docs/configuration.md.
Exit codes: 0 every message delivered, 1 runtime failure or messages lost, 2 bad usage/config.)";

// The verify subcommand's flags that set config keys (the rest of the config, e.g.
// kafka.properties, comes from --config and IIOT_* as for a run).
constexpr KeyFlag kVerifyKeyFlags[] = {
    {"--brokers", "kafka.brokers", "Kafka bootstrap servers (here or kafka.brokers: required)"},
    {"--topic", "kafka.topic", "topic to read"},
    {"--format", "output.format", "json | protobuf: how the messages were encoded"},
    {"--log-level", "log.level", "trace | debug | info | warn | error | off"},
};

struct VerifyFlags {
  std::string config_file;
  std::vector<std::string> values = std::vector<std::string>(std::size(kVerifyKeyFlags));
  uint64_t expect_devices = 0;
  uint64_t expect_per_device = 0;
  std::string timeout = "30s";
  bool json = false;
};

// Client log lines on stderr, so stdout holds only the report: warnings and errors (all
// with log.level debug/trace, errors only with error, none with off). Called from
// librdkafka's threads; one fprintf per line.
LogFn StderrLog(const std::string& level) {
  if (level == "off") return {};
  LogLevel min = LogLevel::kWarn;
  if (level == "trace" || level == "debug") min = LogLevel::kDebug;
  if (level == "error") min = LogLevel::kError;
  return [min](LogLevel l, std::string_view line) {
    if (l >= min) std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
  };
}

// `iiot-producer verify`: config as for a run (file, IIOT_*, flags), then VerifyTopic.
int RunVerify(const CLI::App& cmd, const VerifyFlags& flags) {
  ConfigSources src;
  if (!flags.config_file.empty()) {
    src.file = flags.config_file;
  } else if (const char* env_file = std::getenv("IIOT_CONFIG"); env_file && *env_file) {
    src.file = env_file;
  }
  src.env = CurrentEnvironment();
  src.env.erase("IIOT_CONFIG");
  for (size_t i = 0; i < std::size(kVerifyKeyFlags); ++i) {
    if (cmd.count(kVerifyKeyFlags[i].flag) > 0) {
      src.overrides.push_back({kVerifyKeyFlags[i].key, flags.values[i], kVerifyKeyFlags[i].flag});
    }
  }
  VerifyOptions options;
  Config cfg;
  try {
    cfg = LoadConfig(src);
    options.timeout = ParseDuration(flags.timeout);
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "iiot-producer verify: invalid config: %s\n", e.what());
    return kExitUsage;
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "iiot-producer verify: --timeout: %s\n", e.what());
    return kExitUsage;
  }
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

constexpr const char* kVerifyExamples = R"(Examples:
  iiot-producer verify --brokers 127.0.0.1:9092 --topic plant
  iiot-producer verify --config config/loadtest.yaml --expect-devices 10000 --expect-per-device 20
  iiot-producer verify --brokers 127.0.0.1:9092 --topic plant --format protobuf --json

Reads the whole topic once, up to the end offsets at the start. See docs/verify.md.
Exit codes: 0 clean and as expected, 1 not clean, not as expected or a broker/topic error,
2 bad usage/config.)";

}  // namespace

int RunCli(int argc, char** argv) {
  CLI::App app{
      "iiot-producer: simulate a fleet of industrial devices and stream their readings into "
      "Apache Kafka."};
  app.footer(kExamples);
  app.get_formatter()->column_width(34);

  std::string config_file;
  app.add_option("-c,--config", config_file, "YAML config file (also IIOT_CONFIG)");
  std::vector<std::string> values(std::size(kKeyFlags));
  for (size_t i = 0; i < std::size(kKeyFlags); ++i) {
    app.add_option(kKeyFlags[i].flag, values[i], kKeyFlags[i].help);
  }
  bool quiet = false;
  app.add_flag("-q,--quiet", quiet, "no status line; only logs and the summary");

  CLI::App* validate =
      app.add_subcommand("validate-config", "check a config file; exit 2 if invalid");
  std::string validate_file;
  validate->add_option("file", validate_file, "YAML config file")->required();

  CLI::App* verify = app.add_subcommand(
      "verify", "read a topic back and prove nothing was lost; exit 1 if not clean");
  verify->footer(kVerifyExamples);
  VerifyFlags verify_flags;
  verify->add_option("-c,--config", verify_flags.config_file,
                     "YAML config file: kafka.* as for the run (also IIOT_CONFIG)");
  for (size_t i = 0; i < std::size(kVerifyKeyFlags); ++i) {
    verify->add_option(kVerifyKeyFlags[i].flag, verify_flags.values[i], kVerifyKeyFlags[i].help);
  }
  verify->add_option("--expect-devices", verify_flags.expect_devices,
                     "exactly N distinct devices must be seen");
  verify->add_option("--expect-per-device", verify_flags.expect_per_device,
                     "every device must have seqs exactly 1..M, each once");
  verify->add_option("--timeout", verify_flags.timeout,
                     "give up with no broker or no progress for this long (default 30s)");
  verify->add_flag("--json", verify_flags.json, "print the report as one JSON object");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  }

  if (verify->parsed()) {
    // The run's flags before `verify` would be silently ignored: refuse them.
    for (const CLI::Option* opt : app.get_options()) {
      if (opt->count() > 0 && opt->get_name() != "--help") {
        std::fprintf(stderr, "iiot-producer verify: %s goes after `verify`\n",
                     opt->get_name().c_str());
        return kExitUsage;
      }
    }
    return RunVerify(*verify, verify_flags);
  }

  if (validate->parsed()) {
    try {
      ConfigSources src;
      src.file = validate_file;
      src.env = CurrentEnvironment();  // as a run would see it: secrets often come from env
      (void)LoadConfig(src);
      std::printf("%s: valid\n", validate_file.c_str());
      return kExitOk;
    } catch (const ConfigError& e) {
      std::fprintf(stderr, "iiot-producer: invalid config: %s\n", e.what());
      return kExitUsage;
    }
  }

  ConfigSources src;
  if (!config_file.empty()) {
    src.file = config_file;
  } else if (const char* env_file = std::getenv("IIOT_CONFIG"); env_file && *env_file) {
    src.file = env_file;
  }
  src.env = CurrentEnvironment();
  src.env.erase("IIOT_CONFIG");
  for (size_t i = 0; i < std::size(kKeyFlags); ++i) {
    if (app.count(kKeyFlags[i].flag) > 0)
      src.overrides.push_back({kKeyFlags[i].key, values[i], kKeyFlags[i].flag});
  }
  if (quiet) src.overrides.push_back({"log.quiet", "true", "--quiet"});

  Config cfg;
  try {
    cfg = LoadConfig(src);
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "iiot-producer: invalid config: %s\n", e.what());
    return kExitUsage;
  }
  return RunProducer(cfg, src);
}

}  // namespace iiot
