#include "sink/kafka_sink.h"

#include <fmt/format.h>
#include <pthread.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <utility>

#include "base/text.h"
#include "sink/embedded_cluster.h"
#include "sink/kafka_client.h"
#include "sink/kafka_error.h"

namespace iiot {

namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kPollMs = 50;
constexpr milliseconds kSenderWait{5};           // backstop when a wake-up is missed
constexpr milliseconds kRetireGrace{1000};       // a failed producer's in-flight replies
constexpr milliseconds kPurgeReportBound{5000};  // purged reports coming back
constexpr milliseconds kRebuildRetry{1000};

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch())
      .count();
}

std::string AcksValue(int acks) { return acks == -1 ? "all" : std::to_string(acks); }

int TimeoutMs(milliseconds t) {
  return static_cast<int>(std::clamp<int64_t>(t.count(), 0, std::numeric_limits<int>::max()));
}

}  // namespace

Result<std::unique_ptr<KafkaSink>> KafkaSink::Create(const KafkaConfig& kafka,
                                                     QueueFullPolicy on_queue_full, LogFn log,
                                                     const EmbeddedCluster* embedded) {
  std::string bootstrap = embedded ? embedded->bootstraps() : JoinBrokers(kafka.brokers);
  std::string describe = embedded ? fmt::format("kafka (embedded, {} brokers at {}) topic {}",
                                                embedded->brokers(), bootstrap, kafka.topic)
                                  : fmt::format("kafka {} topic {}", bootstrap, kafka.topic);
  std::unique_ptr<KafkaSink> sink(new KafkaSink(kafka, on_queue_full, std::move(log),
                                                std::move(bootstrap), std::move(describe)));
  if (!sink->conf_.error().empty()) {
    return ConfigFail(sink->conf_.error());
  }
  Result<std::unique_ptr<Client>> client = sink->NewClient();
  if (!client) return ConfigFail(fmt::format("kafka: {}", client.error().message));
  sink->client_ = std::move(*client);
  sink->poller_ = std::thread([s = sink.get()] { s->PollLoop(); });
  return sink;
}

KafkaSink::KafkaSink(const KafkaConfig& kafka, QueueFullPolicy on_queue_full, LogFn log,
                     std::string bootstrap, std::string describe)
    : topic_(kafka.topic),
      bootstrap_(std::move(bootstrap)),
      describe_(std::move(describe)),
      on_queue_full_(on_queue_full),
      message_timeout_ms_(kafka.message_timeout_ms),
      log_(std::move(log)),
      security_(kafka) {
  // The order is the documented one; kafka.properties come last so the user wins.
  conf_.Set("kafka.brokers", "bootstrap.servers", bootstrap_);
  conf_.Set("kafka.client_id", "client.id", kafka.client_id);
  conf_.Set("kafka.acks", "acks", AcksValue(kafka.acks));
  conf_.Set("kafka.idempotence", "enable.idempotence", kafka.idempotence ? "true" : "false");
  conf_.Set("kafka.compression", "compression.type", Name(kafka.compression));
  conf_.Set("kafka.linger_ms", "linger.ms", std::to_string(kafka.linger_ms));
  conf_.Set("kafka.batch_size", "batch.size", std::to_string(kafka.batch_size));
  conf_.Set("kafka.max_retries", "message.send.max.retries", std::to_string(kafka.max_retries));
  conf_.Set("kafka.retry_backoff_ms", "retry.backoff.ms", std::to_string(kafka.retry_backoff_ms));
  conf_.Set("kafka.queue_max_messages", "queue.buffering.max.messages",
            std::to_string(kafka.queue_max_messages));
  conf_.Set("kafka.queue_max_kbytes", "queue.buffering.max.kbytes",
            std::to_string(kafka.queue_max_kbytes));
  conf_.Set("kafka.message_timeout_ms", "message.timeout.ms",
            std::to_string(kafka.message_timeout_ms));
  conf_.Set("kafka.partitioner", "partitioner", "murmur2_random");
  // Ours, for Connected() and for logs served by the poller instead of internal threads.
  conf_.Set("kafka.statistics_interval", "statistics.interval.ms", "1000");
  conf_.Set("kafka.log_queue", "log.queue", "true");
  SetSecurity(conf_, kafka);
  conf_.SetAll(kafka.properties);

  rd_kafka_conf_set_dr_msg_cb(conf_.get(), &KafkaSink::OnDelivery);
  rd_kafka_conf_set_error_cb(conf_.get(), &KafkaSink::OnError);
  rd_kafka_conf_set_stats_cb(conf_.get(), &KafkaSink::OnStats);
  rd_kafka_conf_set_log_cb(conf_.get(), &KafkaSink::OnLog);
  rd_kafka_conf_set_ssl_cert_verify_cb(conf_.get(), &KafkaSink::OnCertificate);
}

KafkaSink::~KafkaSink() { Close(milliseconds(0)); }

Result<std::unique_ptr<KafkaSink::Client>> KafkaSink::NewClient() {
  auto p = std::make_unique<Client>();
  p->sink = this;
  p->generation = ++generations_;
  rd_kafka_conf_t* conf = rd_kafka_conf_dup(conf_.get());
  rd_kafka_conf_set_opaque(conf, p.get());
  char errstr[512];
  p->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
  if (p->rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return Fail(errstr);
  }
  rd_kafka_set_log_queue(p->rk, nullptr);  // logs go to the main queue: served by poll
  p->topic = rd_kafka_topic_new(p->rk, topic_.c_str(), nullptr);
  if (p->topic == nullptr) {
    return Fail(fmt::format("kafka.topic: {}", KafkaError{rd_kafka_last_error()}.Text()));
  }
  return p;
}

SendResult KafkaSink::Send(std::string_view key, std::string_view value, int64_t intended_ns) {
  // Time blocked is added as it passes (every wake-up, at most kSenderWait apart), so
  // iiot_send_blocked_seconds_total grows during a long outage, not only after it.
  int64_t blocked_since = 0;
  const auto count_blocked = [&] {
    if (blocked_since == 0) return;
    const int64_t now = NowNs();
    counters_.blocked_ns.fetch_add(static_cast<uint64_t>(now - blocked_since),
                                   std::memory_order_relaxed);
    blocked_since = now;
  };
  const auto finish = [&](SendResult r) {
    count_blocked();
    return r;
  };
  for (;;) {
    const uint64_t epoch = progress_epoch_.load(std::memory_order_acquire);
    KafkaError err;
    {
      ReaderLock lock(&client_mu_);
      if (stopping_.load(std::memory_order_relaxed)) return finish(SendResult::kStopped);
      Client& p = *client_;
      p.outstanding.fetch_add(1, std::memory_order_relaxed);
      err.code = rd_kafka_producev(
          p.rk, RD_KAFKA_V_RKT(p.topic), RD_KAFKA_V_PARTITION(RD_KAFKA_PARTITION_UA),
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
          RD_KAFKA_V_KEY(const_cast<char*>(key.data()), key.size()),
          RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
          RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(static_cast<intptr_t>(intended_ns))),
          RD_KAFKA_V_END);
      if (err.ok()) {
        counters_.produced.fetch_add(1, std::memory_order_relaxed);
        return finish(SendResult::kQueued);
      }
      p.outstanding.fetch_sub(1, std::memory_order_relaxed);
      if (err.IsFatal() && !p.fatal.exchange(true)) rebuilding_ = true;  // poller rebuilds
    }
    if (err.IsQueueFull() && on_queue_full_ == QueueFullPolicy::kDrop) {
      counters_.dropped.fetch_add(1, std::memory_order_relaxed);
      return finish(SendResult::kDropped);
    }
    if (err.IsQueueFull() || err.IsFatal()) {
      if (blocked_since == 0) blocked_since = NowNs();
      WaitForProgress(epoch);
      count_blocked();
      continue;
    }
    counters_.produced.fetch_add(1, std::memory_order_relaxed);
    counters_.CountFailure(
        FailureCause::kBrokerError,
        fmt::format("refused by the client for topic \"{}\": {}", topic_, err.Text()));
    return finish(SendResult::kFailed);
  }
}

void KafkaSink::WaitForProgress(uint64_t seen_epoch) {
  MutexLock lock(&progress_mu_);
  blocked_senders_.fetch_add(1, std::memory_order_relaxed);
  progress_cv_.wait_for(progress_mu_, kSenderWait, [&] {
    return progress_epoch_.load(std::memory_order_relaxed) != seen_epoch ||
           stopping_.load(std::memory_order_relaxed);
  });
  blocked_senders_.fetch_sub(1, std::memory_order_relaxed);
}

void KafkaSink::WakeBlockedSenders() {
  {
    MutexLock lock(&progress_mu_);
    progress_epoch_.fetch_add(1, std::memory_order_release);
  }
  progress_cv_.notify_all();
}

void KafkaSink::Interrupt() {
  stopping_ = true;
  WakeBlockedSenders();
}

void KafkaSink::PollLoop() {
  pthread_setname_np(pthread_self(), "iiot-kafka-poll");
  while (!stop_poller_.load(std::memory_order_relaxed)) {
    const int served = rd_kafka_poll(client_->rk, kPollMs);
    if (served > 0 && blocked_senders_.load(std::memory_order_relaxed) > 0) WakeBlockedSenders();
    if (client_->fatal.load(std::memory_order_relaxed)) Rebuild();
  }
}

void KafkaSink::Rebuild() {
  Result<std::unique_ptr<Client>> fresh = NewClient();
  if (!fresh) {
    Log(LogLevel::kError, fmt::format("could not rebuild the Kafka producer: {}; retrying in {}",
                                      fresh.error().message, text::Seconds(kRebuildRetry)));
    std::this_thread::sleep_for(kRebuildRetry);
    return;
  }
  std::unique_ptr<Client> old;
  {
    WriterLock lock(&client_mu_);
    old = std::exchange(client_, std::move(*fresh));
  }
  rebuilds_.fetch_add(1, std::memory_order_relaxed);
  rebuilding_ = false;
  WakeBlockedSenders();
  const uint64_t generation = client_->generation;
  uint64_t lost = 0;
  Retire(std::move(old), FailureCause::kFatal, kRetireGrace, &lost);
  Log(LogLevel::kWarn, fmt::format("Kafka producer rebuilt (generation {}); {} message(s) the "
                                   "failed producer held were counted as failed (fatal)",
                                   generation, lost));
}

int64_t KafkaSink::Retire(std::unique_ptr<Client> old, FailureCause leftover, milliseconds grace,
                          uint64_t* failed) {
  const auto poll_both = [&](int timeout_ms) {
    rd_kafka_poll(old->rk, timeout_ms);
    if (client_ && client_.get() != old.get()) rd_kafka_poll(client_->rk, 0);
  };
  // Replies to requests already in flight may still come back.
  for (const auto end = SteadyClock::now() + grace;
       old->outstanding.load() > 0 && SteadyClock::now() < end;) {
    poll_both(10);
  }
  const int64_t held = old->outstanding.load();
  rd_kafka_purge(old->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  for (const auto end = SteadyClock::now() + kPurgeReportBound;
       old->outstanding.load() > 0 && SteadyClock::now() < end;) {
    poll_both(10);
  }
  if (const int64_t lost = old->outstanding.load(); lost > 0) {
    counters_.CountFailure(leftover, "still held by the producer when it was destroyed",
                           static_cast<uint64_t>(lost));
    old->failed.fetch_add(static_cast<uint64_t>(lost));
  }
  if (failed != nullptr) *failed = old->failed.load();
  old.reset();  // rd_kafka_destroy
  return held;
}

bool KafkaSink::Close(milliseconds timeout) {
  MutexLock close_lock(&close_mu_);
  if (closed_) return close_result_;
  closed_ = true;
  {
    WriterLock lock(&client_mu_);  // waits out Sends in progress
    stopping_ = true;
  }
  WakeBlockedSenders();
  stop_poller_ = true;
  if (poller_.joinable()) poller_.join();
  if (!client_) return close_result_ = true;

  rd_kafka_flush(client_->rk, TimeoutMs(timeout));
  std::unique_ptr<Client> last;
  {
    WriterLock lock(&client_mu_);
    last = std::move(client_);
  }
  const FailureCause leftover = last->fatal ? FailureCause::kFatal : FailureCause::kPurged;
  const int64_t held = Retire(std::move(last), leftover, milliseconds(0), nullptr);
  if (held > 0) {
    Log(LogLevel::kWarn, fmt::format("{} message(s) still queued after the {} flush bound were "
                                     "purged",
                                     held, text::Seconds(timeout)));
  }
  close_result_ = held == 0;
  return close_result_;
}

std::string KafkaSink::Describe() const { return describe_; }

bool KafkaSink::Connected() const {
  return connected_.load(std::memory_order_relaxed) && !rebuilding_.load(std::memory_order_relaxed);
}

KafkaStats KafkaSink::Stats() const {
  MutexLock lock(&stats_mu_);
  return stats_.Totals();
}

std::string KafkaSink::LastError() const {
  MutexLock lock(&last_error_mu_);
  return last_error_;
}

void KafkaSink::SetLastError(std::string line) {
  MutexLock lock(&last_error_mu_);
  last_error_ = std::move(line);
}

Result<void> KafkaSink::CheckTopic(milliseconds timeout) {
  // A broker with auto-creation on creates the topic on our first metadata request but
  // may answer that very request with "unknown topic" (Kafka 3.9 in KRaft mode does), so
  // an unknown topic is asked about again for a few seconds before it counts as missing.
  // That window opens at the first answer and may outlast `timeout`: a broker that comes
  // up at the end of a short attempt still gets its few seconds to create the topic.
  constexpr milliseconds kCreationWait{5000};
  using SteadyClock = std::chrono::steady_clock;
  const auto deadline = SteadyClock::now() + timeout;
  std::optional<SteadyClock::time_point> creation_deadline;  // from the first "unknown topic"
  ReaderLock lock(&client_mu_);
  if (!client_) return Fail("the Kafka sink is closed");
  for (;;) {
    const auto until = creation_deadline ? std::max(deadline, *creation_deadline) : deadline;
    // A broker has answered once a creation window is open: give it a real chance to answer
    // again rather than a last request with no time (which would read as "no broker").
    const milliseconds floor = creation_deadline ? milliseconds{500} : milliseconds{1};
    const auto left = std::chrono::duration_cast<milliseconds>(until - SteadyClock::now());
    const rd_kafka_metadata_t* md = nullptr;
    const KafkaError err{
        rd_kafka_metadata(client_->rk, 0, client_->topic, &md, TimeoutMs(std::max(left, floor)))};
    if (!err.ok()) {
      if (err.IsBrokerDown() || err.code == RD_KAFKA_RESP_ERR__TIMED_OUT) {
        // An untrusted certificate or refused credentials: an answer, not worth waiting on.
        const SecurityDiagnosis::Result security = security_.Get();
        if (security.definitive) return Fail(security.text);
        if (!security.text.empty()) {
          return RetryableFail(
              fmt::format("{}: {}", NoBrokerReachable(bootstrap_, timeout), security.text));
        }
        return RetryableFail(NoBrokerReachable(bootstrap_, timeout));
      }
      return Fail(fmt::format("metadata request to {} failed: {}", bootstrap_, err.Text()));
    }
    const KafkaError topic_err{md->topic_cnt > 0 ? md->topics[0].err
                                                 : RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART};
    rd_kafka_metadata_destroy(md);
    if (topic_err.IsUnknownTopic()) {
      const auto now = SteadyClock::now();
      if (!creation_deadline) creation_deadline = now + kCreationWait;
      if (now + milliseconds{200} < *creation_deadline) {
        std::this_thread::sleep_for(milliseconds{200});
        continue;
      }
      return Fail(fmt::format(
          "topic \"{}\" does not exist on {} and the broker did not create it (auto-creation "
          "is off)",
          topic_, bootstrap_));
    }
    if (!topic_err.ok() && topic_err.code != RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE) {
      return Fail(fmt::format("topic \"{}\" on {}: {}", topic_, bootstrap_, topic_err.Text()));
    }
    return {};
  }
}

bool KafkaSink::RaiseFatalError(std::string_view reason) {
  ReaderLock lock(&client_mu_);
  if (!client_) return false;
  const std::string r(reason);
  return rd_kafka_test_fatal_error(client_->rk, RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER,
                                   r.c_str()) == RD_KAFKA_RESP_ERR_NO_ERROR;
}

void KafkaSink::Log(LogLevel level, std::string_view line) const {
  if (log_) log_(level, line);
}

}  // namespace iiot
