// The librdkafka callbacks of KafkaSink. All but OnCertificate are served by rd_kafka_poll:
// on the "iiot-kafka-poll" thread, or on Close's caller while it flushes. OnCertificate runs
// on librdkafka's broker threads during a TLS handshake.
#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string_view>

#include "sink/kafka_client.h"
#include "sink/kafka_error.h"
#include "sink/kafka_sink.h"

namespace iiot {

namespace {

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

void KafkaSink::OnDelivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto* p = static_cast<Client*>(opaque);
  p->sink->HandleDelivery(*p, *m);
}

void KafkaSink::HandleDelivery(Client& p, const rd_kafka_message_t& m) {
  p.outstanding.fetch_sub(1, std::memory_order_relaxed);
  const KafkaError err{m.err};
  if (err.ok()) {
    counters_.delivered.fetch_add(1, std::memory_order_relaxed);
    counters_.bytes_delivered.fetch_add(m.len + m.key_len, std::memory_order_relaxed);
    connected_.store(true, std::memory_order_relaxed);
    // The opaque is the intended send time Send was given (steady clock ns).
    ObserveDelivery(static_cast<int64_t>(reinterpret_cast<intptr_t>(m._private)), NowNs());
    return;
  }
  char fatal_text[256] = "";
  const bool fatal = p.fatal.load() || rd_kafka_fatal_error(p.rk, fatal_text, sizeof(fatal_text)) !=
                                           RD_KAFKA_RESP_ERR_NO_ERROR;
  const FailureCause cause = err.DeliveryCause(rd_kafka_message_status(&m), fatal);
  std::string why;
  switch (cause) {
    case FailureCause::kTimedOut:
      why = fmt::format("not delivered within kafka.message_timeout_ms ({} ms): {}",
                        message_timeout_ms_, err.Text());
      break;
    case FailureCause::kPossiblyPersisted:
      why = fmt::format("timed out in flight, the broker may have written it: {}", err.Text());
      break;
    case FailureCause::kFatal: {
      MutexLock lock(&last_error_mu_);
      why = !fatal_reason_.empty()  ? fatal_reason_
            : fatal_text[0] != '\0' ? fmt::format("fatal producer error: {}", fatal_text)
                                    : err.Text();
      break;
    }
    case FailureCause::kPurged:
      why = fmt::format("still queued when the flush bound ran out: {}", err.Text());
      break;
    default:
      why = fmt::format("topic \"{}\": {}", topic_, err.Text());
      break;
  }
  p.failed.fetch_add(1, std::memory_order_relaxed);
  counters_.CountFailure(cause, why);
}

void KafkaSink::OnError(rd_kafka_t*, int err, const char* reason, void* opaque) {
  auto* p = static_cast<Client*>(opaque);
  p->sink->HandleError(*p, static_cast<rd_kafka_resp_err_t>(err), reason);
}

void KafkaSink::HandleError(Client& p, rd_kafka_resp_err_t code, const char* reason) {
  const KafkaError err{code};
  if (err.IsFatal()) {
    char text[512] = "";
    const KafkaError cause{rd_kafka_fatal_error(p.rk, text, sizeof(text))};
    std::string line = fmt::format("fatal producer error: {}: {}", cause.Text(), text);
    {
      MutexLock lock(&last_error_mu_);
      fatal_reason_ = line;
      last_error_ = line;
    }
    fatal_errors_.fetch_add(1, std::memory_order_relaxed);
    if (!p.fatal.exchange(true)) rebuilding_ = true;
    Log(LogLevel::kError, fmt::format("{}; rebuilding the producer", line));
    return;
  }
  std::string line;
  if (security_.OnError(code, reason)) {
    line = fmt::format("kafka {}: {}", bootstrap_, security_.Get().text);
  } else if (code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
    connected_ = false;
    line = fmt::format("no kafka broker reachable ({}): {} ({})", bootstrap_, reason, err.name());
  } else if (err.IsBrokerDown()) {
    line =
        fmt::format("kafka broker connection failed ({}): {} ({})", bootstrap_, reason, err.name());
  } else {
    line = fmt::format("kafka error: {} ({})", reason, err.name());
  }
  Log(LogLevel::kWarn, line);
  SetLastError(std::move(line));
}

int KafkaSink::OnStats(rd_kafka_t*, char* json, size_t len, void* opaque) {
  auto* p = static_cast<Client*>(opaque);
  if (p->fatal.load(std::memory_order_relaxed)) return 0;  // being replaced
  KafkaSink& sink = *p->sink;
  bool up = false;
  {
    MutexLock lock(&sink.stats_mu_);
    up = sink.stats_.Add(std::string_view(json, len)) && sink.stats_.AnyConnectionUp();
  }
  sink.connected_.store(up, std::memory_order_relaxed);
  return 0;  // librdkafka frees json
}

int KafkaSink::OnCertificate(rd_kafka_t*, const char* broker_name, int32_t, int* x509_error, int,
                             const char*, size_t, char* errstr, size_t errstr_size, void* opaque) {
  auto* p = static_cast<Client*>(opaque);
  return p->sink->security_.OnCertificate(broker_name, *x509_error, errstr, errstr_size);
}

void KafkaSink::OnLog(const rd_kafka_t* rk, int level, const char* facility, const char* line) {
  auto* p = static_cast<Client*>(rd_kafka_opaque(rk));
  if (p == nullptr) return;
  // These repeat what the error callback reports (and logs) already.
  const std::string_view f(facility);
  const bool repeated = f == "FAIL" || f == "ERROR" || f == "FATAL" || f == "SSLCERTVRFY";
  p->sink->Log(repeated ? LogLevel::kDebug : LevelOfSyslog(level),
               fmt::format("librdkafka {}: {}", facility, line));
}

}  // namespace iiot
