#include "app/run_command.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>

#include "admin/admin_server.h"
#include "app/broker_wait.h"
#include "app/incidents_api.h"
#include "app/memory_check.h"
#include "app/open_sink.h"
#include "app/run_monitor.h"
#include "app/signals.h"
#include "app/summary.h"
#include "app/terminal.h"
#include "base/exit_code.h"
#include "engine/worker_pool.h"
#include "labels/incident_log.h"
#include "obs/metrics.h"
#include "obs/rate_target.h"
#include "reload/config_watcher.h"
#include "reload/reloader.h"
#include "reload/restart_rule.h"
#include "sim/fleet.h"
#include "sink/kafka_sink.h"

namespace iiot {

namespace {

using SteadyClock = std::chrono::steady_clock;

double SecondsSince(SteadyClock::time_point t0) {
  return std::chrono::duration<double>(SteadyClock::now() - t0).count();
}

void SetUpLogging(const Config& cfg, Terminal& terminal) {
  auto logger = std::make_shared<spdlog::logger>("iiot", terminal.MakeLogSink());
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(cfg.log.level));
  spdlog::set_default_logger(logger);
}

}  // namespace

int RunProducer(const Config& cfg, const ConfigSources& sources) {
  // Block the signals before any thread starts, so every thread inherits the mask and the
  // main loop below receives them synchronously (app/signals.h: stop, reload, ignored).
  RunSignals signals;

  Terminal terminal(!cfg.log.quiet && isatty(STDERR_FILENO) == 1);
  SetUpLogging(cfg, terminal);

  const Fleet fleet(cfg);
  if (auto why = WhyFleetDoesNotFit(fleet.Simulated(cfg.run).size())) {
    spdlog::error("{}", *why);
    return kExitFailure;
  }
  Result<std::unique_ptr<OpenedSink>> opened = OpenSink(cfg);
  if (!opened) {
    spdlog::error("{}", opened.error().message);
    return opened.error().config_error ? kExitUsage : kExitFailure;
  }
  Sink& sink = *(*opened)->sink;

  auto* kafka = dynamic_cast<KafkaSink*>(&sink);

  Metrics metrics(BuildInfo{IIOT_VERSION, rd_kafka_version_str()});
  sink.SetLatencyObserver(&metrics.delivery_latency());
  WorkerPool pool(cfg, fleet, sink);
  if (const std::optional<double> target = TargetRate(cfg, fleet, pool.Devices())) {
    const std::string warning = UnreachableRateWarning(cfg, *target, pool.Threads());
    if (!warning.empty()) spdlog::warn("{}", warning);
  }
  pool.SetProbes(&metrics.encode_duration(), &metrics.schedule_lag());
  IncidentsApi incidents_api(cfg, fleet, pool);
  LabelStream* labels = (*opened)->labels.get();
  pool.SetLabels(labels);
  std::optional<IncidentLog> incident_log;
  if (labels != nullptr) incident_log.emplace(cfg, fleet, *labels);
  const auto log_incidents = [&] {
    if (incident_log) incident_log->Advance(pool.Settings()->params.incidents, pool.Now());
  };
  Reloader reloader(
      sources, cfg,
      {.check = WhyRestartNeeded,
       .apply =
           [&incidents_api](const Config& next) {
             incidents_api.Apply(next);
             spdlog::default_logger()->set_level(spdlog::level::from_str(next.log.level));
           },
       .counted = [&metrics](std::string_view r) { metrics.CountReload(r); }});
  RunMonitor monitor(cfg, pool, sink, kafka, metrics, reloader);
  const auto reload_on_signal = [&reloader] { reloader.Reload("SIGHUP"); };

  // Both serve from their own threads until the end of this function, so /readyz shows the
  // flush at shutdown; the stop signals stay blocked there.
  std::unique_ptr<AdminServer> admin;
  if (cfg.admin.addr != "off") {
    AdminEndpoints endpoints = monitor.Endpoints();
    endpoints.incidents = [&incidents_api](const AdminRequest& r) {
      return incidents_api.Handle(r);
    };
    auto started = AdminServer::Start(cfg.admin.addr, cfg.admin.token, std::move(endpoints));
    if (!started) {
      const std::string& why = started.error().message;
      const bool fds = why.find("Too many open files") != std::string::npos;
      const bool taken = why.find("in use") != std::string::npos;
      spdlog::error("{}{}", why,
                    fds     ? " (raise the open-file limit, ulimit -n)"
                    : taken ? " (choose another with --admin-addr, or off)"
                            : "");
      return kExitFailure;
    }
    admin = std::move(*started);
    spdlog::info("admin HTTP on http://{} (/metrics /healthz /readyz /api/v1/stats)",
                 admin->address());
  }
  std::unique_ptr<ConfigWatcher> watcher;
  if (cfg.reload.watch && !reloader.file().empty()) {
    auto started = ConfigWatcher::Start(reloader.file(), cfg.reload.debounce,
                                        [&reloader] { reloader.Reload("file change"); });
    if (started) {
      watcher = std::move(*started);
    } else {
      spdlog::warn("config hot reload off: {}", started.error().message);
    }
  }

  // Real brokers: wait for one (and the topic) with the admin server up, so /readyz says why.
  int stop_signal = 0;
  if (kafka != nullptr && !cfg.kafka.brokers.empty()) {
    auto next_tick = SteadyClock::now();
    const BrokerWaitHooks hooks{
        .waiting = [&monitor](const std::string& reason) { monitor.SetWaiting(reason); },
        .idle =
            [&](std::chrono::milliseconds pause) {
              monitor.Beat();
              if (SteadyClock::now() >= next_tick) {
                monitor.Tick();
                next_tick = SteadyClock::now() + std::chrono::seconds(1);
              }
              stop_signal = signals.Wait(pause, reload_on_signal);
              return stop_signal != 0;
            }};
    const Result<BrokerWait> waited =
        WaitForBroker(*kafka, JoinBrokers(cfg.kafka.brokers), cfg.kafka.connect_timeout, hooks);
    if (!waited) {
      spdlog::error("{}", waited.error().message);
      return kExitFailure;
    }
    if (*waited == BrokerWait::kReady) {
      monitor.SetWaiting("");
    } else {
      spdlog::info("{} received while waiting for a Kafka broker: stopping, nothing produced",
                   RunSignals::Name(stop_signal));
    }
  }

  const auto t0 = SteadyClock::now();
  if (stop_signal == 0) {
    std::string which;  // a shard or slice names its devices: "devices 901..1000 of 1,000"
    if (cfg.run.shard_count > 1 || cfg.run.slice_devices > 0) {
      const DeviceRange range = fleet.Simulated(cfg.run);
      which =
          fmt::format(": devices {}..{} of {}", range.first, range.last - 1, Grouped(fleet.size()));
    }
    spdlog::info("simulating {} devices{} ({} threads, mode {}) -> {}", Grouped(pool.Devices()),
                 which, pool.Threads(), Name(cfg.run.mode), sink.Describe());
    if (cfg.output.payload_bytes > 0) {
      spdlog::info("generation off: every value is the same {} bytes (output.payload_bytes)",
                   Grouped(cfg.output.payload_bytes));
    }
    if (Result<void> started = pool.Start(); !started) {
      spdlog::error("{}", started.error().message);
      pool.Join();
      return kExitFailure;
    }
    monitor.SetPhase(RunMonitor::Phase::kProducing);
    log_incidents();
  }
  RunSnapshot prev = RunSnapshot::Take(0, 0, sink);
  auto next_tick = t0 + std::chrono::seconds(1);
  while (stop_signal == 0 && !pool.Finished()) {
    monitor.Beat();
    log_incidents();
    if (const int sig = signals.Wait(std::chrono::milliseconds(100), reload_on_signal); sig != 0) {
      spdlog::info("{} received: stopping generation, flushing (up to {} ms)",
                   RunSignals::Name(sig), cfg.kafka.flush_timeout_ms);
      pool.RequestStop();
      sink.Interrupt();
      if (labels != nullptr) labels->Interrupt();
      break;
    }
    if (cfg.run.duration && SteadyClock::now() - t0 >= *cfg.run.duration) {
      pool.RequestStop();
      break;
    }
    if (SteadyClock::now() >= next_tick) {
      monitor.Tick();
      const RunSnapshot now = RunSnapshot::Take(SecondsSince(t0), pool.Generated(), sink);
      terminal.SetStatus(StatusLine(now, prev, monitor.ConfiguredRate(), monitor.RateShortfall()));
      prev = now;
      next_tick += std::chrono::seconds(1);
    }
  }
  monitor.SetPhase(RunMonitor::Phase::kStopping);
  monitor.Tick();
  pool.Join();
  if (stop_signal == 0) log_incidents();  // up to where the run stopped
  const bool flushed = sink.Close(std::chrono::milliseconds(cfg.kafka.flush_timeout_ms));
  const bool labelled =
      labels == nullptr || labels->Close(std::chrono::milliseconds(cfg.kafka.flush_timeout_ms));
  for (const std::string& note : SinkLogLimiter().Drain()) spdlog::warn("{}", note);
  terminal.ClearStatus();

  const std::string failure = pool.Failure();
  if (!failure.empty()) spdlog::error("the run stopped: {}", failure);
  const RunSnapshot end = RunSnapshot::Take(SecondsSince(t0), pool.Generated(), sink);
  terminal.Write(Summary(end, sink, pool.Devices(), pool.Outages()));
  if (labels != nullptr) {
    terminal.Write(fmt::format("  labels: {} records -> {}{}\n", Grouped(labels->written()),
                               labels->Describe(),
                               labelled ? "" : fmt::format(" — LOST {}", Grouped(labels->Lost()))));
  }
  if (!flushed || !labelled || end.Lost() > 0 || !failure.empty()) return kExitFailure;
  return kExitOk;
}

}  // namespace iiot
