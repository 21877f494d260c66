#include "app/cli.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "app/health_check.h"
#include "app/run_command.h"
#include "base/exit_code.h"
#include "base/text.h"
#include "config/config_loader.h"
#include "verify/verify_cli.h"

namespace iiot {

namespace {

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
    {"--shard", "run.shard", "simulate part i of N of the fleet (e.g. 0/4)"},
    {"--slice", "run.slice", "with --slice-devices: simulate slice i (0-based) of the fleet"},
    {"--slice-devices", "run.slice_devices", "devices per slice (slice i: i*N+1 .. (i+1)*N)"},
    {"--brokers", "kafka.brokers", "Kafka bootstrap servers (empty: embedded in-process cluster)"},
    {"--topic", "kafka.topic", "Kafka topic"},
    {"--sink", "output.sink", "kafka | stdout | file"},
    {"--format", "output.format", "json | protobuf"},
    {"--output", "output.file", "file sink: path to write"},
    {"--on-queue-full", "output.on_queue_full", "block | drop"},
    {"--payload", "output.payload_bytes",
     "benchmarking: every value is BYTES fixed bytes, no generation (0 = off)"},
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
  iiot-producer --admin-addr 127.0.0.1:8080 healthcheck

Precedence: flags > IIOT_* environment > config file > defaults. See docs/configuration.md.
Exit codes: 0 every message delivered, 1 runtime failure or messages lost, 2 bad usage/config.)";

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

  VerifyFlags verify_flags;
  CLI::App* verify = AddVerifyCommand(app, verify_flags);

  CLI::App* health = app.add_subcommand(
      "healthcheck",
      "ask a running instance's /healthz at admin.addr (from the same -c, IIOT_* and "
      "--admin-addr as the run); exit 0 if it answers 200");
  health->fallthrough();  // `healthcheck --admin-addr A` as well as `--admin-addr A healthcheck`

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 quotes arguments as given: escaped here like every other line we print.
    std::ostringstream out, err;
    const int rc = app.exit(e, out, err);
    std::fputs(text::Printable(out.str(), /*keep_newlines=*/true).c_str(), stdout);
    std::fputs(text::Printable(err.str(), /*keep_newlines=*/true).c_str(), stderr);
    return rc == 0 ? kExitOk : kExitUsage;
  }

  if (verify->parsed()) return RunVerify(*verify, verify_flags);

  if (validate->parsed()) {
    try {
      ConfigSources src;
      src.file = validate_file;
      src.env = CurrentEnvironment();  // as a run would see it: secrets often come from env
      (void)LoadConfig(src);
      std::printf("%s: valid\n", text::Printable(validate_file).c_str());
      return kExitOk;
    } catch (const ConfigError& e) {
      std::fprintf(stderr, "iiot-producer: invalid config: %s\n", e.what());
      return kExitUsage;
    }
  }

  std::vector<ConfigSources::Override> given;
  for (size_t i = 0; i < std::size(kKeyFlags); ++i) {
    if (app.count(kKeyFlags[i].flag) > 0)
      given.push_back({kKeyFlags[i].key, values[i], kKeyFlags[i].flag});
  }
  if (quiet) given.push_back({"log.quiet", "true", "--quiet"});
  const ConfigSources src = CommandLineSources(config_file, std::move(given));

  Config cfg;
  try {
    cfg = LoadConfig(src);
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "iiot-producer: invalid config: %s\n", e.what());
    return kExitUsage;
  }
  if (health->parsed()) return RunHealthCheck(cfg);
  return RunProducer(cfg, src);
}

}  // namespace iiot
