#include "app/run_command.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>

#include "app/cli.h"
#include "app/open_sink.h"
#include "app/producer.h"
#include "app/status.h"
#include "app/terminal.h"
#include "sim/fleet.h"

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

// Waits up to `timeout` for SIGINT or SIGTERM (blocked in every thread); returns it or 0.
int WaitForSignal(const sigset_t& signals, std::chrono::milliseconds timeout) {
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  ts.tv_nsec = static_cast<long>((timeout.count() % 1000) * 1'000'000);
  const int sig = sigtimedwait(&signals, nullptr, &ts);
  return sig > 0 ? sig : 0;
}

}  // namespace

int RunProducer(const Config& cfg) {
  // Block the stop signals before any thread starts, so every thread inherits the mask
  // and the main loop below receives them synchronously.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A closed stdout (`| head`) is a write error the stdout sink counts, not a death.
  signal(SIGPIPE, SIG_IGN);

  Terminal terminal(!cfg.log.quiet && isatty(STDERR_FILENO) == 1);
  SetUpLogging(cfg, terminal);

  const Fleet fleet(cfg);
  std::unique_ptr<OpenedSink> opened;
  try {
    opened = OpenSink(cfg);
  } catch (const SinkOpenError& e) {
    spdlog::error("{}", e.what());
    return e.config_error() ? kExitUsage : kExitFailure;
  }
  Sink& sink = *opened->sink;

  Producer producer(cfg, fleet, sink);
  spdlog::info("simulating {} devices ({} threads, mode {}) -> {}", Grouped(producer.Devices()),
               producer.Threads(), Name(cfg.run.mode), sink.Describe());

  const auto t0 = SteadyClock::now();
  producer.Start();
  RunSnapshot prev = RunSnapshot::Take(0, 0, sink);
  auto next_status = t0 + std::chrono::seconds(1);
  while (!producer.Finished()) {
    if (const int sig = WaitForSignal(signals, std::chrono::milliseconds(100)); sig != 0) {
      spdlog::info("{} received: stopping generation, flushing (up to {} ms)",
                   sig == SIGINT ? "SIGINT" : "SIGTERM", cfg.kafka.flush_timeout_ms);
      producer.RequestStop();
      sink.Interrupt();
      break;
    }
    if (cfg.run.duration && SteadyClock::now() - t0 >= *cfg.run.duration) {
      producer.RequestStop();
      break;
    }
    if (SteadyClock::now() >= next_status) {
      const RunSnapshot now = RunSnapshot::Take(SecondsSince(t0), producer.Generated(), sink);
      terminal.SetStatus(StatusLine(now, prev));
      prev = now;
      next_status += std::chrono::seconds(1);
    }
  }
  producer.Join();
  const bool flushed = sink.Close(std::chrono::milliseconds(cfg.kafka.flush_timeout_ms));
  terminal.ClearStatus();

  const RunSnapshot end = RunSnapshot::Take(SecondsSince(t0), producer.Generated(), sink);
  terminal.Write(Summary(end, sink, producer.Devices()));
  if (!flushed || end.Lost() > 0) return kExitFailure;
  return kExitOk;
}

}  // namespace iiot
