// Metrics: the process's one Prometheus registry, with every iiot_* metric family (and the
// standard process_* ones every dashboard expects) created
// once at construction (the names are listed in docs/metrics.md). The app feeds it:
//   - per message, through the LatencyObserver references (delivery latency from the
//     sinks; encode duration and schedule lag, sampled, from the workers);
//   - once a second, Update(snapshot) with the totals it gathered from its parts;
//   - on events, CountReload / CountAlert.
// The admin endpoint serves Serialize().
//
// Thread-safety: the class is thread-safe. The observers may be called from any thread
// at any time and never allocate; Update is serialised by an internal mutex; Serialize
// may run concurrently with all of them.
//
// Example:
//   Metrics metrics(BuildInfo{"0.1.0", rd_kafka_version_str()});
//   sink.SetLatencyObserver(&metrics.delivery_latency());
//   metrics.Update(snapshot);          // stats thread, every second
//   std::string body = metrics.Serialize();  // GET /metrics
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <map>
#include <string>
#include <string_view>

#include "base/mutex.h"
#include "obs/histogram_observer.h"
#include "obs/metrics_snapshot.h"
#include "obs/quantile.h"
#include "sink/kafka_stats.h"
#include "sink/sink.h"

namespace iiot {

// The iiot_build_info labels.
struct BuildInfo {
  std::string version;     // iiot-producer's version, e.g. "0.1.0"
  std::string librdkafka;  // rd_kafka_version_str(), e.g. "2.0.2"
};

class Metrics {
 public:
  // Result values of iiot_config_reloads_total and alert names of iiot_alerts_total.
  static constexpr std::array<std::string_view, 4> kReloadResults = {"applied", "unchanged",
                                                                     "rejected", "invalid"};
  static constexpr std::array<std::string_view, 3> kAlerts = {"error_rate", "latency",
                                                              "queue_depth"};

  explicit Metrics(BuildInfo info);
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Record nanoseconds into iiot_delivery_latency_seconds, iiot_encode_duration_seconds
  // and iiot_schedule_lag_seconds (negative values count as 0). Valid as long as *this.
  LatencyObserver& delivery_latency() { return delivery_latency_; }
  LatencyObserver& encode_duration() { return encode_duration_; }
  LatencyObserver& schedule_lag() { return schedule_lag_; }

  // Sets the gauges and advances each counter by how much its total grew since the
  // previous Update. Counters never go back: a total lower than last time (a sink was
  // replaced) adds nothing and becomes the new baseline. Also reads this process's CPU,
  // memory and threads, and the broker gauges: a broker no longer reported loses its
  // label set. Without snapshot.kafka the Kafka gauges read 0 and no broker is listed.
  void Update(const MetricsSnapshot& s);

  // One reload with its result (kReloadResults) / one alert line logged (kAlerts).
  // Other values are ignored.
  void CountReload(std::string_view result);
  void CountAlert(std::string_view alert);

  // Every metric in the Prometheus text exposition format 0.0.4.
  std::string Serialize() const;

  // iiot_delivery_latency_seconds right now, for Quantile.
  HistogramCounts DeliveryLatencyCounts() const;

 private:
  struct BrokerGauges {
    prometheus::Gauge* rtt;
    prometheus::Gauge* throttle;
  };
  // The totals the previous Update saw.
  struct Previous {
    MetricsSnapshot snapshot;
    double cpu_seconds = 0;
  };

  void UpdateKafka(const KafkaStats& now, const KafkaStats& before) REQUIRES(mu_);
  void UpdateProcess() REQUIRES(mu_);

  prometheus::Registry registry_;  // first: every reference below points into it

  // Constant after construction (the metrics themselves are thread-safe).
  prometheus::Counter& generated_;
  prometheus::Counter& produced_;
  prometheus::Counter& delivered_;
  prometheus::Counter& delivered_bytes_;
  prometheus::Counter& dropped_queue_full_;
  std::array<prometheus::Counter*, kFailureCauseCount> failed_{};
  prometheus::Counter& blocked_seconds_;
  std::array<prometheus::Counter*, kAnomalyKindCount> anomalies_{};  // [0] null (none)
  std::array<prometheus::Counter*, kAnomalyKindCount> anomaly_messages_{};
  prometheus::Counter& replayed_;
  prometheus::Counter& unsent_;
  prometheus::Counter& kafka_retries_;
  prometheus::Counter& kafka_batches_;
  prometheus::Counter& kafka_batch_messages_;
  prometheus::Counter& kafka_batch_bytes_;
  prometheus::Counter& kafka_connects_;
  prometheus::Counter& kafka_disconnects_;
  prometheus::Counter& kafka_fatal_errors_;
  prometheus::Counter& kafka_rebuilds_;
  std::array<prometheus::Counter*, kReloadResults.size()> reloads_{};
  std::array<prometheus::Counter*, kAlerts.size()> alerts_{};
  prometheus::Counter& process_cpu_;

  prometheus::Gauge& devices_;
  prometheus::Gauge& held_;
  prometheus::Gauge& rate_target_;
  prometheus::Gauge& queue_messages_;
  prometheus::Gauge& queue_bytes_;
  prometheus::Gauge& queue_max_messages_;
  prometheus::Gauge& brokers_up_;
  prometheus::Family<prometheus::Gauge>& broker_rtt_;
  prometheus::Family<prometheus::Gauge>& broker_throttle_;
  prometheus::Gauge& ready_;
  prometheus::Gauge& config_version_;
  prometheus::Gauge& process_resident_;
  prometheus::Gauge& process_virtual_;
  prometheus::Gauge& process_threads_;
  prometheus::Gauge& process_open_fds_;
  prometheus::Gauge& process_max_fds_;
  prometheus::Gauge& process_start_time_;

  prometheus::Histogram& delivery_histogram_;
  prometheus::Histogram& encode_histogram_;
  prometheus::Histogram& lag_histogram_;
  HistogramObserver delivery_latency_;
  HistogramObserver encode_duration_;
  HistogramObserver schedule_lag_;

  Mutex mu_;  // serialises Update
  Previous previous_ GUARDED_BY(mu_);
  std::map<std::string, BrokerGauges> broker_gauges_ GUARDED_BY(mu_);
};

}  // namespace iiot
