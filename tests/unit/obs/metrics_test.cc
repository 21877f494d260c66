#include "obs/metrics.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "obs_test_support.h"

namespace iiot {
namespace {

using obstest::Exposition;
using obstest::TwoBrokers;

Exposition Scrape(const Metrics& m) { return Exposition(m.Serialize()); }

Metrics NewMetrics() { return Metrics(BuildInfo{"0.1.0", "2.0.2"}); }

TEST(Metrics, EveryLabelSetExistsAtZeroFromTheStart) {
  const Metrics m = NewMetrics();
  const Exposition e = Scrape(m);
  for (const char* cause :
       {"timed_out", "possibly_persisted", "broker_error", "fatal", "purged", "io"}) {
    EXPECT_EQ(e[std::string("iiot_messages_failed_total{cause=\"") + cause + "\"}"], 0) << cause;
  }
  for (const char* kind : {"spike", "stuck", "drift", "dropout", "chatter"}) {
    EXPECT_EQ(e[std::string("iiot_anomalies_injected_total{kind=\"") + kind + "\"}"], 0);
    EXPECT_EQ(e[std::string("iiot_anomaly_messages_total{kind=\"") + kind + "\"}"], 0);
  }
  EXPECT_FALSE(e.Has("iiot_anomalies_injected_total{kind=\"none\"}"));
  EXPECT_EQ(e["iiot_messages_dropped_total{reason=\"queue_full\"}"], 0);
  for (const char* result : {"applied", "unchanged", "rejected", "invalid"}) {
    EXPECT_EQ(e[std::string("iiot_config_reloads_total{result=\"") + result + "\"}"], 0);
  }
  for (const char* alert : {"error_rate", "latency", "queue_depth"}) {
    EXPECT_EQ(e[std::string("iiot_alerts_total{alert=\"") + alert + "\"}"], 0);
  }
  EXPECT_EQ(e["iiot_build_info{librdkafka=\"2.0.2\",version=\"0.1.0\"}"], 1);
  EXPECT_EQ(e["iiot_config_version"], 1);
  EXPECT_EQ(e["iiot_messages_generated_total"], 0);
  EXPECT_EQ(e["iiot_delivery_latency_seconds_count"], 0);
  EXPECT_EQ(e["iiot_delivery_latency_seconds_bucket{le=\"+Inf\"}"], 0);
}

TEST(Metrics, UpdateSetsGaugesAndCounters) {
  Metrics m = NewMetrics();
  MetricsSnapshot s;
  s.generated = 1000;
  s.produced = 990;
  s.delivered = 950;
  s.bytes_delivered = 95'000;
  s.dropped = 10;
  s.failed[static_cast<size_t>(FailureCause::kTimedOut)] = 7;
  s.failed[static_cast<size_t>(FailureCause::kIo)] = 3;
  s.blocked_s = 1.5;
  s.anomaly_episodes[static_cast<size_t>(AnomalyKind::kDrift)] = 2;
  s.anomaly_messages[static_cast<size_t>(AnomalyKind::kDrift)] = 40;
  s.fatal_errors = 1;
  s.rebuilds = 1;
  s.devices = 500;
  s.target_rate = 2000;
  s.queue_messages = 30;
  s.queue_bytes = 3000;
  s.queue_max_messages = 100'000;
  s.ready = true;
  s.config_version = 3;
  m.Update(s);
  const Exposition e = Scrape(m);
  EXPECT_EQ(e["iiot_messages_generated_total"], 1000);
  EXPECT_EQ(e["iiot_messages_produced_total"], 990);
  EXPECT_EQ(e["iiot_messages_delivered_total"], 950);
  EXPECT_EQ(e["iiot_delivered_bytes_total"], 95'000);
  EXPECT_EQ(e["iiot_messages_dropped_total{reason=\"queue_full\"}"], 10);
  EXPECT_EQ(e["iiot_messages_failed_total{cause=\"timed_out\"}"], 7);
  EXPECT_EQ(e["iiot_messages_failed_total{cause=\"io\"}"], 3);
  EXPECT_EQ(e["iiot_messages_failed_total{cause=\"fatal\"}"], 0);
  EXPECT_EQ(e["iiot_send_blocked_seconds_total"], 1.5);
  EXPECT_EQ(e["iiot_anomalies_injected_total{kind=\"drift\"}"], 2);
  EXPECT_EQ(e["iiot_anomaly_messages_total{kind=\"drift\"}"], 40);
  EXPECT_EQ(e["iiot_anomaly_messages_total{kind=\"spike\"}"], 0);
  EXPECT_EQ(e["iiot_kafka_fatal_errors_total"], 1);
  EXPECT_EQ(e["iiot_kafka_producer_rebuilds_total"], 1);
  EXPECT_EQ(e["iiot_devices"], 500);
  EXPECT_EQ(e["iiot_rate_target_messages_per_second"], 2000);
  EXPECT_EQ(e["iiot_queue_messages"], 30);
  EXPECT_EQ(e["iiot_queue_bytes"], 3000);
  EXPECT_EQ(e["iiot_queue_max_messages"], 100'000);
  EXPECT_EQ(e["iiot_ready"], 1);
  EXPECT_EQ(e["iiot_config_version"], 3);
  EXPECT_EQ(e["iiot_kafka_brokers_up"], 0);  // no Kafka sink
}

TEST(Metrics, CountersAdvanceByTheGrowthAndNeverGoBack) {
  Metrics m = NewMetrics();
  MetricsSnapshot s;
  s.delivered = 100;
  s.blocked_s = 2.0;
  m.Update(s);
  s.delivered = 250;
  s.blocked_s = 2.5;
  m.Update(s);
  m.Update(s);  // unchanged: nothing added
  EXPECT_EQ(Scrape(m)["iiot_messages_delivered_total"], 250);
  EXPECT_EQ(Scrape(m)["iiot_send_blocked_seconds_total"], 2.5);

  s.delivered = 40;  // the source started again (a new sink)
  s.blocked_s = 0;
  m.Update(s);
  EXPECT_EQ(Scrape(m)["iiot_messages_delivered_total"], 250);
  s.delivered = 60;  // counts on from the new total
  s.blocked_s = 0.25;
  m.Update(s);
  EXPECT_EQ(Scrape(m)["iiot_messages_delivered_total"], 270);
  EXPECT_EQ(Scrape(m)["iiot_send_blocked_seconds_total"], 2.75);
}

TEST(Metrics, KafkaStatsBecomeKafkaMetricsWithOneSeriesPerBroker) {
  Metrics m = NewMetrics();
  MetricsSnapshot s;
  s.kafka = TwoBrokers();
  m.Update(s);
  Exposition e = Scrape(m);
  EXPECT_EQ(e["iiot_kafka_brokers_up"], 2);
  EXPECT_EQ(e["iiot_kafka_broker_connects_total"], 3);
  EXPECT_EQ(e["iiot_kafka_broker_disconnects_total"], 1);
  EXPECT_EQ(e["iiot_kafka_retries_total"], 4);
  EXPECT_EQ(e["iiot_kafka_batches_total"], 10);
  EXPECT_EQ(e["iiot_kafka_batch_messages_total"], 250);
  EXPECT_EQ(e["iiot_kafka_batch_bytes_total"], 9000);
  EXPECT_EQ(e["iiot_kafka_broker_rtt_seconds{broker=\"10.0.0.1:9092/1\"}"], 0.002);
  EXPECT_EQ(e["iiot_kafka_broker_rtt_seconds{broker=\"10.0.0.2:9092/2\"}"], 0.004);
  EXPECT_EQ(e["iiot_kafka_broker_throttle_seconds{broker=\"10.0.0.2:9092/2\"}"], 0.5);

  // Broker 1 is no longer reported: its series go; the totals carry on.
  s.kafka->brokers.erase(s.kafka->brokers.begin());
  s.kafka->brokers_up = 1;
  s.kafka->batches = 15;
  m.Update(s);
  e = Scrape(m);
  EXPECT_FALSE(e.Has("iiot_kafka_broker_rtt_seconds{broker=\"10.0.0.1:9092/1\"}"));
  EXPECT_FALSE(e.Has("iiot_kafka_broker_throttle_seconds{broker=\"10.0.0.1:9092/1\"}"));
  EXPECT_EQ(e["iiot_kafka_broker_rtt_seconds{broker=\"10.0.0.2:9092/2\"}"], 0.004);
  EXPECT_EQ(e["iiot_kafka_brokers_up"], 1);
  EXPECT_EQ(e["iiot_kafka_batches_total"], 15);

  // No Kafka sink any more: gauges read 0, no broker series, counters stay.
  s.kafka.reset();
  m.Update(s);
  e = Scrape(m);
  EXPECT_EQ(e["iiot_kafka_brokers_up"], 0);
  EXPECT_FALSE(e.Has("iiot_kafka_broker_rtt_seconds{broker=\"10.0.0.2:9092/2\"}"));
  EXPECT_EQ(e["iiot_kafka_batches_total"], 15);
  // A new Kafka sink counts from 0.
  s.kafka = TwoBrokers();
  s.kafka->batches = 2;
  m.Update(s);
  EXPECT_EQ(Scrape(m)["iiot_kafka_batches_total"], 17);
}

TEST(Metrics, ProcessMetricsArePlausible) {
  Metrics m = NewMetrics();
  m.Update(MetricsSnapshot{});
  const Exposition e = Scrape(m);
  EXPECT_GE(e["process_cpu_seconds_total"], 0);
  EXPECT_GT(e["process_resident_memory_bytes"], 1 << 20);
  EXPECT_GE(e["process_threads"], 1);
  EXPECT_GT(e["process_virtual_memory_bytes"], e["process_resident_memory_bytes"]);
  EXPECT_GE(e["process_max_fds"], e["process_open_fds"]);
  // Three more descriptors open: three more counted.
  int fds[3];
  for (int& fd : fds) fd = ::open("/dev/null", O_RDONLY);
  m.Update(MetricsSnapshot{});
  EXPECT_EQ(Scrape(m)["process_open_fds"], e["process_open_fds"] + 3);
  for (const int fd : fds) ::close(fd);
  const double now = static_cast<double>(std::time(nullptr));
  EXPECT_LE(e["process_start_time_seconds"], now + 1);
  EXPECT_GT(e["process_start_time_seconds"], now - 3600);
}

TEST(Metrics, ReloadsAndAlertsAreCountedByValue) {
  Metrics m = NewMetrics();
  m.CountReload("applied");
  m.CountReload("applied");
  m.CountReload("rejected");
  m.CountReload("exploded");  // not a result: ignored
  m.CountAlert("latency");
  m.CountAlert("nope");
  const Exposition e = Scrape(m);
  EXPECT_EQ(e["iiot_config_reloads_total{result=\"applied\"}"], 2);
  EXPECT_EQ(e["iiot_config_reloads_total{result=\"rejected\"}"], 1);
  EXPECT_EQ(e["iiot_config_reloads_total{result=\"invalid\"}"], 0);
  EXPECT_EQ(e["iiot_alerts_total{alert=\"latency\"}"], 1);
  EXPECT_EQ(e["iiot_alerts_total{alert=\"error_rate\"}"], 0);
  EXPECT_FALSE(e.Has("iiot_alerts_total{alert=\"nope\"}"));
}

TEST(Metrics, ObserversFillTheirHistogramsInSeconds) {
  Metrics m = NewMetrics();
  m.delivery_latency().Observe(2'000'000);    // 2 ms
  m.delivery_latency().Observe(300'000'000);  // 300 ms
  m.encode_duration().Observe(3'000);         // 3 us
  m.schedule_lag().Observe(-5'000'000);       // early: counts as 0
  const Exposition e = Scrape(m);
  EXPECT_EQ(e["iiot_delivery_latency_seconds_count"], 2);
  EXPECT_DOUBLE_EQ(e["iiot_delivery_latency_seconds_sum"], 0.302);
  EXPECT_EQ(e["iiot_delivery_latency_seconds_bucket{le=\"0.001\"}"], 0);
  EXPECT_EQ(e["iiot_delivery_latency_seconds_bucket{le=\"0.0025\"}"], 1);
  EXPECT_EQ(e["iiot_delivery_latency_seconds_bucket{le=\"0.25\"}"], 1);
  EXPECT_EQ(e["iiot_delivery_latency_seconds_bucket{le=\"0.5\"}"], 2);
  EXPECT_EQ(e["iiot_delivery_latency_seconds_bucket{le=\"120\"}"], 2);
  EXPECT_EQ(e["iiot_encode_duration_seconds_bucket{le=\"2.5e-06\"}"], 0);
  EXPECT_EQ(e["iiot_encode_duration_seconds_bucket{le=\"5e-06\"}"], 1);
  EXPECT_EQ(e["iiot_encode_duration_seconds_bucket{le=\"1e-07\"}"], 0);
  EXPECT_EQ(e["iiot_schedule_lag_seconds_bucket{le=\"0.0001\"}"], 1);
  EXPECT_EQ(e["iiot_schedule_lag_seconds_sum"], 0);
}

TEST(Metrics, DeliveryLatencyQuantilesFollowTheObservations) {
  Metrics m = NewMetrics();
  for (int i = 0; i < 100; ++i) m.delivery_latency().Observe(20'000'000);  // 20 ms
  const HistogramCounts before = m.DeliveryLatencyCounts();
  EXPECT_EQ(before.count(), 100u);
  EXPECT_EQ(before.upper_bounds.size(), 18u);  // 17 bounds and +Inf
  EXPECT_TRUE(std::isinf(before.upper_bounds.back()));
  // Then 1000 latencies spread evenly over (0, 1 s].
  for (int i = 1; i <= 1000; ++i) m.delivery_latency().Observe(int64_t{i} * 1'000'000);
  const HistogramCounts now = m.DeliveryLatencyCounts();
  EXPECT_EQ(now.count(), 1100u);
  EXPECT_NEAR(now.sum, 100 * 0.02 + 500.5, 1e-6);
  EXPECT_NEAR(Quantile(now, before, 0.5), 0.5, 1e-9);  // a bucket bound: exact
  EXPECT_NEAR(Quantile(now, before, 0.25), 0.25, 1e-9);
  EXPECT_NEAR(Quantile(now, before, 0.95), 0.95, 1e-9);  // evenly spread in (0.5, 1]
  // Over the whole run the 100 early 20 ms samples pull the low quantiles down.
  EXPECT_LT(Quantile(now, {}, 0.05), 0.025);
}

TEST(Metrics, ObservingUpdatingAndSerializingRunConcurrently) {
  Metrics m = NewMetrics();
  constexpr int kThreads = 3;
  constexpr int kEach = 20'000;
  std::atomic<bool> done{false};
  std::thread updater([&] {
    MetricsSnapshot s;
    s.kafka = TwoBrokers();
    for (uint64_t i = 0; !done.load(); ++i) {
      s.delivered = i;
      s.kafka->brokers_up = static_cast<int>(i % 2) + 1;
      s.kafka->brokers.resize(static_cast<size_t>(s.kafka->brokers_up));
      if (s.kafka->brokers.size() == 2) s.kafka->brokers[1] = TwoBrokers().brokers[1];
      m.Update(s);
    }
  });
  std::thread scraper([&] {
    while (!done.load()) EXPECT_NE(m.Serialize().find("iiot_build_info"), std::string::npos);
  });
  std::vector<std::thread> observers;
  for (int t = 0; t < kThreads; ++t) {
    observers.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        m.delivery_latency().Observe(i * 1000);
        m.CountAlert("queue_depth");
      }
    });
  }
  for (auto& t : observers) t.join();
  done = true;
  updater.join();
  scraper.join();
  const Exposition e = Scrape(m);
  EXPECT_EQ(e["iiot_delivery_latency_seconds_count"], kThreads * kEach);
  EXPECT_EQ(e["iiot_alerts_total{alert=\"queue_depth\"}"], kThreads * kEach);
}

}  // namespace
}  // namespace iiot
