#include "obs/metrics.h"

#include <prometheus/text_serializer.h>

#include <set>
#include <utility>
#include <vector>

#include "obs/process_stats.h"

namespace iiot {

namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;
using prometheus::Counter;
using prometheus::Gauge;
using prometheus::Histogram;
using prometheus::Registry;

// Bucket upper bounds in seconds, roughly exponential (1-2-5 steps).
const Histogram::BucketBoundaries kDeliveryLatencyBuckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};
const Histogram::BucketBoundaries kEncodeBuckets = {
    1e-7, 2.5e-7, 5e-7, 1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3};
const Histogram::BucketBoundaries kScheduleLagBuckets = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
    0.1,    0.25,    0.5,    1,     2.5,    5,     10,   30,    60};

Counter& NewCounter(Registry& r, const char* name, const char* help) {
  return BuildCounter().Name(name).Help(help).Register(r).Add({});
}

Gauge& NewGauge(Registry& r, const char* name, const char* help) {
  return BuildGauge().Name(name).Help(help).Register(r).Add({});
}

Histogram& NewHistogram(Registry& r, const char* name, const char* help,
                        const Histogram::BucketBoundaries& buckets) {
  return BuildHistogram().Name(name).Help(help).Register(r).Add({}, buckets);
}

// Adds how much a total grew; nothing if it shrank.
void Advance(Counter& c, uint64_t now, uint64_t before) {
  if (now > before) c.Increment(static_cast<double>(now - before));
}
void Advance(Counter& c, double now, double before) {
  if (now > before) c.Increment(now - before);
}

template <size_t N>
int IndexOf(const std::array<std::string_view, N>& names, std::string_view name) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

Metrics::Metrics(BuildInfo info)
    : generated_(NewCounter(registry_, "iiot_messages_generated_total",
                            "Readings sampled by the simulator and handed to the sink")),
      produced_(NewCounter(registry_, "iiot_messages_produced_total",
                           "Messages accepted by the sink (queued or written)")),
      delivered_(NewCounter(registry_, "iiot_messages_delivered_total",
                            "Messages acknowledged by Kafka or written to stdout/file")),
      delivered_bytes_(NewCounter(registry_, "iiot_delivered_bytes_total",
                                  "Payload bytes of the delivered messages")),
      dropped_queue_full_(BuildCounter()
                              .Name("iiot_messages_dropped_total")
                              .Help("Messages refused by the sink, by reason")
                              .Register(registry_)
                              .Add({{"reason", "queue_full"}})),
      blocked_seconds_(NewCounter(registry_, "iiot_send_blocked_seconds_total",
                                  "Time sends waited on a full queue (policy block)")),
      replayed_(NewCounter(registry_, "iiot_readings_replayed_total",
                           "Readings sent late, after the network outage that held them")),
      unsent_(NewCounter(registry_, "iiot_readings_unsent_total",
                         "Readings a network outage kept from being sent (no replay, or a full "
                         "device buffer)")),
      kafka_retries_(NewCounter(registry_, "iiot_kafka_retries_total",
                                "Produce request retries (librdkafka txretries)")),
      kafka_batches_(
          NewCounter(registry_, "iiot_kafka_batches_total", "Message batches sent to Kafka")),
      kafka_batch_messages_(NewCounter(registry_, "iiot_kafka_batch_messages_total",
                                       "Messages in the batches sent to Kafka")),
      kafka_batch_bytes_(NewCounter(registry_, "iiot_kafka_batch_bytes_total",
                                    "Bytes in the batches sent to Kafka")),
      kafka_connects_(
          NewCounter(registry_, "iiot_kafka_broker_connects_total", "Broker connection attempts")),
      kafka_disconnects_(
          NewCounter(registry_, "iiot_kafka_broker_disconnects_total", "Broker connections lost")),
      kafka_fatal_errors_(
          NewCounter(registry_, "iiot_kafka_fatal_errors_total", "Kafka producer fatal errors")),
      kafka_rebuilds_(NewCounter(registry_, "iiot_kafka_producer_rebuilds_total",
                                 "Kafka producers rebuilt after a fatal error")),
      process_cpu_(NewCounter(registry_, "process_cpu_seconds_total",
                              "User and system CPU time of the process")),
      devices_(NewGauge(registry_, "iiot_devices", "Devices simulated now")),
      held_(NewGauge(registry_, "iiot_readings_held",
                     "Readings devices in a network outage hold to send when it ends")),
      rate_target_(NewGauge(registry_, "iiot_rate_target_messages_per_second",
                            "Target message rate in rate mode (0 in other modes)")),
      queue_messages_(
          NewGauge(registry_, "iiot_queue_messages", "Messages in the producer's local queue")),
      queue_bytes_(NewGauge(registry_, "iiot_queue_bytes", "Bytes in the producer's local queue")),
      queue_max_messages_(NewGauge(registry_, "iiot_queue_max_messages",
                                   "Bound of the local queue (0 for unbuffered sinks)")),
      brokers_up_(NewGauge(registry_, "iiot_kafka_brokers_up", "Kafka brokers in state UP")),
      broker_rtt_(BuildGauge()
                      .Name("iiot_kafka_broker_rtt_seconds")
                      .Help("Average request round-trip time over the last statistics interval")
                      .Register(registry_)),
      broker_throttle_(BuildGauge()
                           .Name("iiot_kafka_broker_throttle_seconds")
                           .Help("Average broker throttle time over the last statistics interval")
                           .Register(registry_)),
      ready_(NewGauge(registry_, "iiot_ready", "1 when /readyz answers 200")),
      config_version_(NewGauge(registry_, "iiot_config_version",
                               "Applied configuration version (1 at start, +1 per reload)")),
      process_resident_(
          NewGauge(registry_, "process_resident_memory_bytes", "Resident memory size in bytes")),
      process_virtual_(
          NewGauge(registry_, "process_virtual_memory_bytes", "Virtual memory size in bytes")),
      process_threads_(NewGauge(registry_, "process_threads", "Threads of the process")),
      process_open_fds_(NewGauge(registry_, "process_open_fds", "Open file descriptors")),
      process_max_fds_(
          NewGauge(registry_, "process_max_fds", "Maximum number of open file descriptors")),
      process_start_time_(NewGauge(registry_, "process_start_time_seconds",
                                   "Start time of the process since unix epoch in seconds")),
      delivery_histogram_(NewHistogram(registry_, "iiot_delivery_latency_seconds",
                                       "From each message's intended send time to its delivery",
                                       kDeliveryLatencyBuckets)),
      encode_histogram_(NewHistogram(registry_, "iiot_encode_duration_seconds",
                                     "Encode time of a message, sampled 1 in 64", kEncodeBuckets)),
      lag_histogram_(NewHistogram(registry_, "iiot_schedule_lag_seconds",
                                  "How late a message was generated vs its due time, sampled "
                                  "1 in 64",
                                  kScheduleLagBuckets)),
      delivery_latency_(delivery_histogram_, kDeliveryLatencyBuckets),
      encode_duration_(encode_histogram_, kEncodeBuckets),
      schedule_lag_(lag_histogram_, kScheduleLagBuckets) {
  auto& failed = BuildCounter()
                     .Name("iiot_messages_failed_total")
                     .Help("Messages that did not make it, by cause")
                     .Register(registry_);
  for (int i = 0; i < kFailureCauseCount; ++i) {
    failed_[static_cast<size_t>(i)] = &failed.Add({{"cause", Name(static_cast<FailureCause>(i))}});
  }
  auto& anomalies = BuildCounter()
                        .Name("iiot_anomalies_injected_total")
                        .Help("Anomaly episodes started, by kind")
                        .Register(registry_);
  auto& anomaly_messages = BuildCounter()
                               .Name("iiot_anomaly_messages_total")
                               .Help("Messages labelled with an anomaly, by kind")
                               .Register(registry_);
  for (int i = 1; i < kAnomalyKindCount; ++i) {
    const char* kind = Name(static_cast<AnomalyKind>(i));
    anomalies_[static_cast<size_t>(i)] = &anomalies.Add({{"kind", kind}});
    anomaly_messages_[static_cast<size_t>(i)] = &anomaly_messages.Add({{"kind", kind}});
  }
  auto& reloads = BuildCounter()
                      .Name("iiot_config_reloads_total")
                      .Help("Configuration reloads, by result")
                      .Register(registry_);
  for (size_t i = 0; i < kReloadResults.size(); ++i) {
    reloads_[i] = &reloads.Add({{"result", std::string(kReloadResults[i])}});
  }
  auto& alerts = BuildCounter()
                     .Name("iiot_alerts_total")
                     .Help("Alert lines logged by the producer, by alert")
                     .Register(registry_);
  for (size_t i = 0; i < kAlerts.size(); ++i) {
    alerts_[i] = &alerts.Add({{"alert", std::string(kAlerts[i])}});
  }
  BuildGauge()
      .Name("iiot_build_info")
      .Help("Build information (constant 1)")
      .Register(registry_)
      .Add({{"version", std::move(info.version)}, {"librdkafka", std::move(info.librdkafka)}})
      .Set(1);
  config_version_.Set(1);

  MutexLock lock(&mu_);
  UpdateProcess();
}

void Metrics::Update(const MetricsSnapshot& s) {
  MutexLock lock(&mu_);
  const MetricsSnapshot& p = previous_.snapshot;
  Advance(generated_, s.generated, p.generated);
  Advance(produced_, s.produced, p.produced);
  Advance(delivered_, s.delivered, p.delivered);
  Advance(delivered_bytes_, s.bytes_delivered, p.bytes_delivered);
  Advance(dropped_queue_full_, s.dropped, p.dropped);
  for (size_t i = 0; i < failed_.size(); ++i) Advance(*failed_[i], s.failed[i], p.failed[i]);
  Advance(blocked_seconds_, s.blocked_s, p.blocked_s);
  for (size_t i = 1; i < anomalies_.size(); ++i) {
    Advance(*anomalies_[i], s.anomaly_episodes[i], p.anomaly_episodes[i]);
    Advance(*anomaly_messages_[i], s.anomaly_messages[i], p.anomaly_messages[i]);
  }
  Advance(replayed_, s.replayed, p.replayed);
  Advance(unsent_, s.unsent, p.unsent);
  Advance(kafka_fatal_errors_, s.fatal_errors, p.fatal_errors);
  Advance(kafka_rebuilds_, s.rebuilds, p.rebuilds);

  devices_.Set(static_cast<double>(s.devices));
  held_.Set(static_cast<double>(s.held));
  rate_target_.Set(s.target_rate);
  queue_messages_.Set(static_cast<double>(s.queue_messages));
  queue_bytes_.Set(static_cast<double>(s.queue_bytes));
  queue_max_messages_.Set(static_cast<double>(s.queue_max_messages));
  ready_.Set(s.ready ? 1 : 0);
  config_version_.Set(static_cast<double>(s.config_version));

  // Without a Kafka sink everything reads 0, so a later one counts from 0.
  UpdateKafka(s.kafka.value_or(KafkaStats{}), p.kafka.value_or(KafkaStats{}));
  UpdateProcess();
  previous_.snapshot = s;
}

void Metrics::UpdateKafka(const KafkaStats& now, const KafkaStats& p) {
  Advance(kafka_retries_, now.retries, p.retries);
  Advance(kafka_batches_, now.batches, p.batches);
  Advance(kafka_batch_messages_, now.batch_messages, p.batch_messages);
  Advance(kafka_batch_bytes_, now.batch_bytes, p.batch_bytes);
  Advance(kafka_connects_, now.connects, p.connects);
  Advance(kafka_disconnects_, now.disconnects, p.disconnects);
  brokers_up_.Set(now.brokers_up);

  std::set<std::string> listed;
  for (const KafkaStats::Broker& b : now.brokers) {
    listed.insert(b.name);
    auto it = broker_gauges_.find(b.name);
    if (it == broker_gauges_.end()) {
      const prometheus::Labels labels{{"broker", b.name}};
      it = broker_gauges_
               .emplace(b.name,
                        BrokerGauges{&broker_rtt_.Add(labels), &broker_throttle_.Add(labels)})
               .first;
    }
    it->second.rtt->Set(b.rtt_s);
    it->second.throttle->Set(b.throttle_s);
  }
  for (auto it = broker_gauges_.begin(); it != broker_gauges_.end();) {
    if (listed.count(it->first) != 0) {
      ++it;
      continue;
    }
    broker_rtt_.Remove(it->second.rtt);
    broker_throttle_.Remove(it->second.throttle);
    it = broker_gauges_.erase(it);
  }
}

void Metrics::UpdateProcess() {
  const std::optional<ProcessStats> ps = ReadProcessStats();
  if (!ps) return;
  Advance(process_cpu_, ps->cpu_seconds, previous_.cpu_seconds);
  previous_.cpu_seconds = ps->cpu_seconds;
  process_resident_.Set(static_cast<double>(ps->resident_bytes));
  process_virtual_.Set(static_cast<double>(ps->virtual_bytes));
  process_threads_.Set(static_cast<double>(ps->threads));
  process_open_fds_.Set(static_cast<double>(ps->open_fds));
  process_max_fds_.Set(ps->max_fds);
  process_start_time_.Set(ps->start_time_s);
}

void Metrics::CountReload(std::string_view result) {
  if (const int i = IndexOf(kReloadResults, result); i >= 0) {
    reloads_[static_cast<size_t>(i)]->Increment();
  }
}

void Metrics::CountAlert(std::string_view alert) {
  if (const int i = IndexOf(kAlerts, alert); i >= 0) alerts_[static_cast<size_t>(i)]->Increment();
}

std::string Metrics::Serialize() const {
  return prometheus::TextSerializer().Serialize(registry_.Collect());
}

HistogramCounts Metrics::DeliveryLatencyCounts() const {
  const prometheus::ClientMetric m = delivery_histogram_.Collect();
  HistogramCounts counts;
  counts.upper_bounds.reserve(m.histogram.bucket.size());
  counts.cumulative.reserve(m.histogram.bucket.size());
  for (const prometheus::ClientMetric::Bucket& b : m.histogram.bucket) {
    counts.upper_bounds.push_back(b.upper_bound);
    counts.cumulative.push_back(b.cumulative_count);
  }
  counts.sum = m.histogram.sample_sum;
  return counts;
}

}  // namespace iiot
