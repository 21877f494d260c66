#include "app/run_monitor.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "base/text.h"

namespace iiot {

namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr auto kStatsSpan = std::chrono::seconds(10);
constexpr auto kStalledAfter = std::chrono::seconds(5);
constexpr auto kShortfallSpan = std::chrono::seconds(3);  // the status line's
constexpr double kWarnShortfall = 0.10;

int64_t SteadyNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch())
      .count();
}

AdminResponse Json(int status, const nlohmann::json& body) {
  return {status, "application/json", body.dump(2) + "\n"};
}

std::string IsoTime(std::chrono::system_clock::time_point t) {
  return FormatTimestamp(
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

}  // namespace

RunMonitor::RunMonitor(const Config& cfg, WorkerPool& pool, Sink& sink, KafkaSink* kafka,
                       Metrics& metrics, Reloader& reloader)
    : cfg_(cfg),
      pool_(pool),
      sink_(sink),
      kafka_(kafka),
      metrics_(metrics),
      reloader_(reloader),
      started_(SteadyClock::now()),
      // Enough history for the longest window a reload may ask for (1 h) and the stats.
      window_(std::chrono::hours(1)) {
  Beat();
}

void RunMonitor::SetPhase(Phase phase) { phase_.store(phase, std::memory_order_relaxed); }

void RunMonitor::SetWaiting(std::string reason) {
  {
    MutexLock lock(&ready_mu_);
    waiting_ = std::move(reason);
  }
}

void RunMonitor::Beat() { last_beat_ns_.store(SteadyNowNs(), std::memory_order_relaxed); }

RunSample RunMonitor::Sample() const {
  const DeliveryCounters& c = sink_.counters();
  RunSample s;
  s.at = SteadyClock::now();
  s.generated = pool_.Generated();
  const OutageCounts outages = pool_.Outages();
  s.due = s.generated - std::min(s.generated, outages.replayed) + outages.held + outages.unsent;
  s.delivered = c.delivered.load(std::memory_order_relaxed);
  s.failed = c.FailedTotal();
  s.dropped = c.dropped.load(std::memory_order_relaxed);
  s.bytes_delivered = c.bytes_delivered.load(std::memory_order_relaxed);
  s.latency = metrics_.DeliveryLatencyCounts();
  return s;
}

void RunMonitor::Tick() {
  const Config current = reloader_.Current();
  window_.Add(Sample());

  ReadinessInput in;
  const Phase phase = phase_.load(std::memory_order_relaxed);
  in.producing = phase == Phase::kProducing;
  in.stopping = phase == Phase::kStopping;
  {
    MutexLock lock(&ready_mu_);
    in.waiting = waiting_;
  }
  if (kafka_ != nullptr) {
    in.kafka = true;
    in.connected = kafka_->Connected();
    in.brokers = cfg_.kafka.brokers.empty() ? "embedded cluster"
                                            : fmt::format("{}", fmt::join(cfg_.kafka.brokers, ","));
    in.last_error = kafka_->LastError();
    const uint64_t fatal = kafka_->FatalErrors();
    in.fatal_since_last_check = fatal != fatal_errors_;
    fatal_errors_ = fatal;
  }
  in.recent = window_.Over(current.admin.ready_window);
  in.min_success = current.admin.ready_min_success;
  const Readiness now = EvaluateReadiness(in);
  {
    MutexLock lock(&ready_mu_);
    if (now.ok != ready_.ok && phase != Phase::kStarting) {
      if (now.ok) {
        spdlog::info("ready");
      } else if (phase == Phase::kStopping) {
        spdlog::info("not ready: {}", now.reason);
      } else {
        spdlog::warn("not ready: {}", now.reason);
      }
    }
    ready_ = now;
  }

  CheckRate(current, phase);

  const uint64_t queue_max = kafka_ != nullptr ? cfg_.kafka.queue_max_messages : 0;
  for (const AlertEvent& e : alerts_.Check(current.alerts, window_.Over(current.alerts.window),
                                           sink_.QueueDepth(), queue_max)) {
    if (e.firing) {
      spdlog::warn("{}", e.line);
      metrics_.CountAlert(e.alert);
    } else {
      spdlog::info("{}", e.line);
    }
  }
}

void RunMonitor::CheckRate(const Config& current, Phase phase) {
  const std::optional<double> target = TargetRate(current, pool_.fleet(), pool_.Devices());
  target_.store(target.value_or(0), std::memory_order_relaxed);
  const std::optional<WindowDelta> last = window_.Over(kShortfallSpan);
  const double behind = target && last ? Shortfall(*target, last->PerSecond(last->due)) : 0.0;
  shortfall_.store(behind, std::memory_order_relaxed);
  // Warned once, after a whole stats span behind: a start or a pause is not a shortfall.
  const std::optional<WindowDelta> span = window_.Over(kStatsSpan);
  if (!target || !span || phase != Phase::kProducing || rate_warned_ ||
      span->seconds < 0.9 * std::chrono::duration<double>(kStatsSpan).count()) {
    return;
  }
  const double reached = span->PerSecond(span->due);
  const double short_by = Shortfall(*target, reached);
  if (short_by < kWarnShortfall) return;
  rate_warned_ = true;
  spdlog::warn(
      "running behind: {} msg/s over the last {:.0f} s, {:.0f} % short of the {} msg/s "
      "configured ({}); the sink, the CPU or run.threads limits the run",
      text::Grouped(static_cast<uint64_t>(reached)), span->seconds, short_by * 100,
      text::Grouped(static_cast<uint64_t>(*target)), TargetSource(current));
}

Readiness RunMonitor::CurrentReadiness() const {
  MutexLock lock(&ready_mu_);
  return ready_;
}

MetricsSnapshot RunMonitor::Gather() const {
  const DeliveryCounters& c = sink_.counters();
  MetricsSnapshot s;
  s.generated = pool_.Generated();
  s.produced = c.produced.load(std::memory_order_relaxed);
  s.delivered = c.delivered.load(std::memory_order_relaxed);
  s.bytes_delivered = c.bytes_delivered.load(std::memory_order_relaxed);
  s.dropped = c.dropped.load(std::memory_order_relaxed);
  for (size_t i = 0; i < s.failed.size(); ++i)
    s.failed[i] = c.failed[i].load(std::memory_order_relaxed);
  s.blocked_s = static_cast<double>(c.blocked_ns.load(std::memory_order_relaxed)) / 1e9;
  s.anomaly_episodes = pool_.AnomalyEpisodes();
  s.anomaly_messages = pool_.AnomalyMessages();
  s.devices = pool_.Devices();
  const OutageCounts outages = pool_.Outages();
  s.held = outages.held;
  s.replayed = outages.replayed;
  s.unsent = outages.unsent;
  s.target_rate = ConfiguredRate();
  s.queue_messages = sink_.QueueDepth();
  s.ready = CurrentReadiness().ok;
  s.config_version = reloader_.Version();
  if (kafka_ != nullptr) {
    s.queue_max_messages = cfg_.kafka.queue_max_messages;
    s.fatal_errors = kafka_->FatalErrors();
    s.rebuilds = kafka_->Rebuilds();
    s.kafka = kafka_->Stats();
    s.queue_bytes = s.kafka->queue_bytes;
  }
  return s;
}

std::string RunMonitor::MetricsText() {
  metrics_.Update(Gather());
  return metrics_.Serialize();
}

AdminResponse RunMonitor::Healthz() const {
  const int64_t age_ns = SteadyNowNs() - last_beat_ns_.load(std::memory_order_relaxed);
  if (std::chrono::nanoseconds(age_ns) > kStalledAfter) {
    return Json(503, {{"status", "stalled"},
                      {"reason", fmt::format("the main loop has not run for {:.1f} s",
                                             static_cast<double>(age_ns) / 1e9)}});
  }
  return Json(200, {{"status", "ok"}});
}

AdminResponse RunMonitor::Readyz() const {
  const Readiness r = CurrentReadiness();
  if (r.ok) return Json(200, {{"status", "ready"}});
  return Json(503, {{"status", "not ready"}, {"reason", r.reason}});
}

AdminResponse RunMonitor::Stats() const {
  const Config current = reloader_.Current();
  const DeliveryCounters& c = sink_.counters();
  nlohmann::json j;
  j["version"] = IIOT_VERSION;
  j["config_version"] = reloader_.Version();
  j["uptime_seconds"] = std::chrono::duration<double>(SteadyClock::now() - started_).count();
  j["mode"] = Name(current.run.mode);
  j["devices"] = pool_.Devices();
  const std::optional<WindowDelta> recent = window_.Over(kStatsSpan);
  nlohmann::json rates = {{"window_seconds", recent ? recent->seconds : 0.0},
                          {"generated", recent ? recent->PerSecond(recent->generated) : 0.0},
                          {"delivered", recent ? recent->PerSecond(recent->delivered) : 0.0},
                          {"failed", recent ? recent->PerSecond(recent->failed) : 0.0},
                          {"dropped", recent ? recent->PerSecond(recent->dropped) : 0.0}};
  const double target = ConfiguredRate();  // as of the last Tick
  rates["target"] = target > 0 ? nlohmann::json(target) : nlohmann::json(nullptr);
  rates["shortfall"] = target > 0 && recent
                           ? nlohmann::json(Shortfall(target, recent->PerSecond(recent->due)))
                           : nlohmann::json(nullptr);
  j["rates"] = rates;
  nlohmann::json failed = nlohmann::json::object();
  for (int i = 0; i < kFailureCauseCount; ++i)
    failed[Name(static_cast<FailureCause>(i))] =
        c.failed[static_cast<size_t>(i)].load(std::memory_order_relaxed);
  j["totals"] = {{"generated", pool_.Generated()},
                 {"produced", c.produced.load(std::memory_order_relaxed)},
                 {"delivered", c.delivered.load(std::memory_order_relaxed)},
                 {"failed", failed},
                 {"dropped", c.dropped.load(std::memory_order_relaxed)},
                 {"bytes_delivered", c.bytes_delivered.load(std::memory_order_relaxed)}};
  const OutageCounts outages = pool_.Outages();
  j["outages"] = {
      {"held", outages.held}, {"replayed", outages.replayed}, {"unsent", outages.unsent}};
  nlohmann::json latency = nlohmann::json::object();
  for (const auto& [name, q] : {std::pair{"p50", 0.5}, {"p95", 0.95}, {"p99", 0.99}}) {
    const std::optional<double> v = recent ? recent->Latency(q) : std::nullopt;
    latency[name] = v ? nlohmann::json(*v) : nlohmann::json(nullptr);
  }
  j["latency_seconds"] = latency;
  nlohmann::json queue = {{"messages", sink_.QueueDepth()}};
  if (kafka_ != nullptr) {
    const KafkaStats stats = kafka_->Stats();
    queue["bytes"] = stats.queue_bytes;
    queue["max_messages"] = cfg_.kafka.queue_max_messages;
    j["kafka"] = {{"connected", kafka_->Connected()},
                  {"brokers_up", stats.brokers_up},
                  {"fatal_errors", kafka_->FatalErrors()},
                  {"rebuilds", kafka_->Rebuilds()},
                  {"last_error", kafka_->LastError()}};
  } else {
    j["kafka"] = nullptr;
  }
  j["queue"] = queue;
  const Readiness r = CurrentReadiness();
  j["ready"] = {{"ok", r.ok}, {"reason", r.reason}};
  nlohmann::json reload = {{"version", reloader_.Version()}, {"file", reloader_.file()}};
  if (const std::optional<Reloader::Outcome> last = reloader_.Last()) {
    reload["last_result"] = last->result;
    reload["last_error"] = last->error;
    reload["last_changed"] = last->changed;
    reload["last_at"] = IsoTime(last->at);
  } else {
    reload["last_result"] = nullptr;
    reload["last_error"] = "";
  }
  j["reload"] = reload;
  return Json(200, j);
}

AdminEndpoints RunMonitor::Endpoints() {
  AdminEndpoints h;
  h.metrics = [this] { return MetricsText(); };
  h.healthz = [this] { return Healthz(); };
  h.readyz = [this] { return Readyz(); };
  h.stats = [this] { return Stats(); };
  h.config = [this] {
    return AdminResponse{
        200, "application/yaml",
        fmt::format("# config version {}\n{}", reloader_.Version(), ToYaml(reloader_.Current()))};
  };
  h.reload = [this] {
    const Reloader::Outcome o = reloader_.Reload("POST /api/v1/config/reload");
    const int status = o.result == "invalid" ? 422 : o.result == "rejected" ? 409 : 200;
    return Json(
        status,
        {{"result", o.result}, {"version", o.version}, {"changed", o.changed}, {"error", o.error}});
  };
  h.fatal_drill = [this] {
    if (kafka_ == nullptr) {
      return Json(409, {{"error", "not_kafka"},
                        {"message", "the sink is not Kafka: there is no producer to fail"}});
    }
    if (phase_.load(std::memory_order_relaxed) == Phase::kStopping) {
      return Json(409, {{"error", "stopping"},
                        {"message", "the run is stopping: nothing would rebuild the producer"}});
    }
    spdlog::warn("fatal-error drill requested through the admin API");
    if (!kafka_->RaiseFatalError("drill: POST /api/v1/drill/fatal-error")) {
      return Json(409,
                  {{"error", "already_fatal"},
                   {"message", "the producer has a fatal error already; it is being rebuilt"}});
    }
    return Json(202, {{"raised", true}, {"rebuilds_so_far", kafka_->Rebuilds()}});
  };
  return h;
}

}  // namespace iiot
