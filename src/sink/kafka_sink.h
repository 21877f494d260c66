// KafkaSink: the Sink that produces to Apache Kafka through one librdkafka producer.
//
// Messages are keyed by device id and partitioned with murmur2_random (the Java client's
// choice), so a device always lands on one partition and Java producers agree. Defaults
// (acks=all, idempotence, lz4, linger 5 ms, a bounded local queue) come from KafkaConfig;
// kafka.properties are applied last, so the user wins.
//
// Outcomes: every accepted message is counted once, from its delivery report, as
// delivered or failed with a FailureCause; a full queue blocks (adding to blocked_ns) or
// drops (counting dropped) as OutputConfig::on_queue_full says.
//
// Fatal errors (librdkafka 2.0.2's idempotent producer can raise one after a broker
// restart): the error is logged, the messages the failed producer still held are counted
// as kFatal, and a new producer with the same configuration replaces it while Sends
// carry on (a Send that meets the fatal producer waits for its replacement). Rebuilds()
// counts the replacements.
//
// Thread-safety: the class is thread-safe. Send, Interrupt, Connected, LastError, Stats,
// CheckTopic and the counters may be called from any thread; Close once, after the last
// Send. Send holds a shared lock on the current producer; the rebuild swaps it under the
// exclusive lock.
//
// Threads and callbacks:
//   "iiot-kafka-poll"  one thread owned by the sink, calling rd_kafka_poll. It runs the
//                      delivery-report, error, statistics and log callbacks, and rebuilds
//                      the producer after a fatal error. The LatencyObserver (if set) is
//                      called from the delivery reports, once per delivered message.
//   Close's caller     runs the same callbacks while it flushes (the poller has stopped).
// So LogFn is called from those two threads, never from librdkafka's internal threads
// and never from two threads at once.
//
// Example:
//   Result<std::unique_ptr<KafkaSink>> opened = KafkaSink::Create(cfg.kafka,
//   cfg.output.on_queue_full, log); if (!opened) { /* opened.error: "kafka.properties.foo: No such
//   configuration ..." */ } KafkaSink& kafka = *opened.value; if (Result<void> topic =
//   kafka.CheckTopic(10s); !topic) { /* no broker, no topic */ } (void)kafka.Send(key, value,
//   intended_ns);   // any worker bool nothing_purged =
//   kafka.Close(std::chrono::milliseconds(cfg.kafka.flush_timeout_ms));
#pragma once

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "base/mutex.h"
#include "config/config.h"
#include "sink/kafka_conf.h"
#include "sink/kafka_security.h"
#include "sink/kafka_stats.h"
#include "sink/sink.h"

namespace iiot {

class EmbeddedCluster;

class KafkaSink final : public Sink {
 public:
  // Builds the producer configuration and starts the producer and its poller thread.
  // Bootstrap servers: kafka.brokers, or the embedded cluster's when `embedded` is given
  // (it must outlive the sink). Fails, never throws, when librdkafka rejects a property:
  // the error names our key path ("kafka.linger_ms: ...", "kafka.properties.<name>: ...")
  // and config_error is set. Connecting is not checked here (see CheckTopic).
  static Result<std::unique_ptr<KafkaSink>> Create(const KafkaConfig& kafka,
                                                   QueueFullPolicy on_queue_full, LogFn log,
                                                   const EmbeddedCluster* embedded = nullptr);
  ~KafkaSink() override;  // Close(0 ms) if Close was not called

  KafkaSink(const KafkaSink&) = delete;
  KafkaSink& operator=(const KafkaSink&) = delete;

  // Never throws. kQueued: the delivery report will count it. kDropped: queue full under
  // policy drop. kStopped: after Interrupt or Close (a Send blocked on a full queue, or
  // waiting for a rebuild, returns it within a few milliseconds). kFailed: librdkafka
  // refused it at once (unknown topic, too large), counted as kBrokerError.
  [[nodiscard]] SendResult Send(std::string_view key, std::string_view value,
                                int64_t intended_ns) override;
  void Interrupt() override;
  // Stops the poller, rd_kafka_flush(timeout), then purges what is left (queued and in
  // flight), serves the purged reports so they are counted (kPurged, or kFatal on a
  // producer that failed) and destroys the producer. Returns true iff nothing was purged.
  bool Close(std::chrono::milliseconds timeout) override;

  const DeliveryCounters& counters() const override { return counters_; }
  std::string Describe() const override;
  using Sink::LastError;

  // At least one broker connection is up (from the statistics callback, every second,
  // and from delivery reports), and no rebuild is under way. For readiness.
  bool Connected() const;
  // The latest client-level error (error callback), "" if none. Broker outages name the
  // bootstrap servers: "no kafka broker reachable (127.0.0.1:9092): ...".
  std::string LastError() const;
  // Fatal producer errors seen, and producers rebuilt after one.
  uint64_t FatalErrors() const { return fatal_errors_.load(std::memory_order_relaxed); }
  uint64_t Rebuilds() const { return rebuilds_.load(std::memory_order_relaxed); }
  // Totals from librdkafka's statistics (every second) since the sink was created, across
  // producer rebuilds: connects, retries, batches, the local queue, brokers and their
  // round-trip times. All zero until the first statistics document. A copy.
  KafkaStats Stats() const;

  // Asks the brokers for the topic's metadata. Succeeds when the topic exists (or is
  // being auto-created), else fails with a line naming the topic and the brokers:
  // "topic \"x\" does not exist on 127.0.0.1:9092 and the broker did not create it (auto-creation
  // is off)", "no broker reachable at 127.0.0.1:9999 within 10 s". Blocks up to timeout; when
  // a broker answers that the topic is unknown, up to 5 s from that answer (auto-creation).
  // The failure is retryable when no broker answered (worth asking again later), as opposed
  // to an answer (a missing topic, a refusal).
  Result<void> CheckTopic(std::chrono::milliseconds timeout);

  // Makes librdkafka raise a fatal error on the current producer, as the idempotence
  // bug does (rd_kafka_test_fatal_error). For tests and outage drills. False if the
  // producer already had one.
  bool RaiseFatalError(std::string_view reason);

 private:
  struct Client;  // one rd_kafka_t and its topic handle, of one generation (kafka_client.h)

  KafkaSink(const KafkaConfig& kafka, QueueFullPolicy on_queue_full, LogFn log,
            std::string bootstrap, std::string describe);
  Result<std::unique_ptr<Client>> NewClient();
  void PollLoop();
  void Rebuild();
  // Waits up to `grace` for replies, purges and drains a producer that is no longer
  // current, counts what never reported as `leftover` and destroys it. Returns how many
  // messages it still held when purged; *failed (if given): how many of its messages
  // were counted as failed in all.
  int64_t Retire(std::unique_ptr<Client> old, FailureCause leftover,
                 std::chrono::milliseconds grace, uint64_t* failed);
  void WakeBlockedSenders();
  // Waits (without the producer lock) for room in the queue or a new producer.
  void WaitForProgress(uint64_t seen_epoch);
  void Log(LogLevel level, std::string_view line) const;
  void SetLastError(std::string line);

  // Callbacks (static trampolines; opaque is the Client).
  static void OnDelivery(rd_kafka_t* rk, const rd_kafka_message_t* m, void* opaque);
  static void OnError(rd_kafka_t* rk, int err, const char* reason, void* opaque);
  static int OnStats(rd_kafka_t* rk, char* json, size_t len, void* opaque);
  static void OnLog(const rd_kafka_t* rk, int level, const char* facility, const char* line);
  static int OnCertificate(rd_kafka_t* rk, const char* broker_name, int32_t broker_id,
                           int* x509_error, int depth, const char* buf, size_t size, char* errstr,
                           size_t errstr_size, void* opaque);
  void HandleDelivery(Client& p, const rd_kafka_message_t& m);
  void HandleError(Client& p, rd_kafka_resp_err_t err, const char* reason);

  // Constant after construction.
  const std::string topic_;
  const std::string bootstrap_;
  const std::string describe_;
  const QueueFullPolicy on_queue_full_;
  const uint32_t message_timeout_ms_;
  const LogFn log_;
  KafkaConf conf_;              // the template every producer generation is made from
  SecurityDiagnosis security_;  // failed TLS handshakes and SASL logins (thread-safe)

  DeliveryCounters counters_;
  std::atomic<bool> stopping_{false};  // Interrupt or Close: Sends return kStopped
  std::atomic<bool> connected_{false};
  std::atomic<bool> rebuilding_{false};
  std::atomic<uint64_t> fatal_errors_{0};
  std::atomic<uint64_t> rebuilds_{0};
  uint64_t generations_ = 0;  // used by NewClient: construction, then the poller only

  // The current producer: read under shared lock (Send, CheckTopic), replaced under
  // exclusive lock by the poller (rebuild) and by Close after the poller stopped.
  mutable SharedMutex client_mu_;
  std::unique_ptr<Client> client_;

  // Blocked Sends wait here; the poller bumps progress_epoch_ (under progress_mu_, read
  // without it) after serving reports and after a rebuild.
  Mutex progress_mu_;
  std::condition_variable_any progress_cv_;
  std::atomic<uint64_t> progress_epoch_{0};
  std::atomic<int> blocked_senders_{0};

  mutable Mutex stats_mu_;
  KafkaStatsAccumulator stats_ GUARDED_BY(stats_mu_);  // fed by the statistics callback

  mutable Mutex last_error_mu_;
  std::string last_error_ GUARDED_BY(last_error_mu_);
  std::string fatal_reason_ GUARDED_BY(last_error_mu_);

  std::atomic<bool> stop_poller_{false};
  std::thread poller_;

  Mutex close_mu_;  // serialises Close
  bool closed_ GUARDED_BY(close_mu_) = false;
  bool close_result_ GUARDED_BY(close_mu_) = false;
};

}  // namespace iiot
