#include "verify/topic_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/text.h"
#include "sink/kafka_conf.h"
#include "sink/kafka_error.h"

namespace iiot {

namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr int kPollMs = 100;

// The consumer and its topic handle, closed and destroyed on every return path.
struct Consumer {
  rd_kafka_t* rk = nullptr;
  rd_kafka_topic_t* topic = nullptr;
  ~Consumer() {
    if (topic != nullptr) rd_kafka_topic_destroy(topic);
    if (rk != nullptr) {
      rd_kafka_consumer_close(rk);
      rd_kafka_destroy(rk);
    }
  }
};

// Unfinished partitions whose fetch position already reached the end (the last offsets
// can be transaction markers that are never handed out as messages).
void MarkFinishedByPosition(rd_kafka_t* rk, const std::string& topic,
                            const std::map<int32_t, int64_t>& unfinished_end,
                            std::vector<int32_t>* finished) {
  rd_kafka_topic_partition_list_t* list =
      rd_kafka_topic_partition_list_new(static_cast<int>(unfinished_end.size()));
  for (const auto& [partition, end] : unfinished_end) {
    rd_kafka_topic_partition_list_add(list, topic.c_str(), partition);
  }
  if (rd_kafka_position(rk, list) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    for (int i = 0; i < list->cnt; ++i) {
      const rd_kafka_topic_partition_t& tp = list->elems[i];
      if (tp.offset >= 0 && tp.offset >= unfinished_end.at(tp.partition)) {
        finished->push_back(tp.partition);
      }
    }
  }
  rd_kafka_topic_partition_list_destroy(list);
}

}  // namespace

TopicReader::TopicReader(const KafkaConfig& kafka, LogFn log, std::string bootstrap_override)
    : kafka_(kafka),
      log_(std::move(log)),
      bootstrap_(bootstrap_override.empty() ? JoinBrokers(kafka.brokers)
                                            : std::move(bootstrap_override)),
      security_(kafka) {}

Result<void> TopicReader::Read(const MessageFn& on_message, std::chrono::milliseconds timeout) {
  partitions_.clear();
  messages_ = 0;
  const std::string& topic = kafka_.topic;
  KafkaConf conf;
  conf.Set("kafka.brokers", "bootstrap.servers", bootstrap_);
  conf.Set("kafka.client_id", "client.id", kafka_.client_id + "-reader");
  conf.Set("reader.group_id", "group.id", "iiot-topic-reader");
  conf.Set("reader.enable_auto_commit", "enable.auto.commit", "false");
  conf.Set("reader.enable_auto_offset_store", "enable.auto.offset.store", "false");
  conf.Set("reader.auto_offset_reset", "auto.offset.reset", "earliest");
  SetSecurity(conf, kafka_);
  conf.SetAll(kafka_.properties);
  if (!conf.error().empty()) {
    return ConfigFail(conf.error());
  }
  rd_kafka_conf_set_log_cb(conf.get(), &TopicReader::OnLog);
  rd_kafka_conf_set_error_cb(conf.get(), &TopicReader::OnError);
  rd_kafka_conf_set_ssl_cert_verify_cb(conf.get(), &TopicReader::OnCertificate);
  rd_kafka_conf_set_opaque(conf.get(), this);

  Consumer consumer;
  rd_kafka_conf_t* raw = conf.Release();
  char errstr[512];
  consumer.rk = rd_kafka_new(RD_KAFKA_CONSUMER, raw, errstr, sizeof(errstr));
  if (consumer.rk == nullptr) {
    rd_kafka_conf_destroy(raw);
    return ConfigFail(fmt::format("kafka: {}", errstr));
  }
  rd_kafka_poll_set_consumer(consumer.rk);
  consumer.topic = rd_kafka_topic_new(consumer.rk, topic.c_str(), nullptr);

  // Partitions and their watermarks, captured once.
  const int timeout_ms = static_cast<int>(timeout.count());
  const rd_kafka_metadata_t* md = nullptr;
  const KafkaError md_err{rd_kafka_metadata(consumer.rk, 0, consumer.topic, &md, timeout_ms)};
  if (!md_err.ok()) {
    return Fail(md_err.IsBrokerDown() || md_err.code == RD_KAFKA_RESP_ERR__TIMED_OUT
                    ? NoBrokerError(consumer.rk, timeout)
                    : fmt::format("metadata request to {} failed: {}", bootstrap_, md_err.Text()));
  }
  std::vector<int32_t> ids;
  const KafkaError topic_err{md->topic_cnt > 0 ? md->topics[0].err
                                               : RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART};
  if (topic_err.ok()) {
    for (int i = 0; i < md->topics[0].partition_cnt; ++i) {
      ids.push_back(md->topics[0].partitions[i].id);
    }
  }
  rd_kafka_metadata_destroy(md);
  if (topic_err.IsUnknownTopic()) {
    return Fail(fmt::format("topic \"{}\" does not exist on {}", topic, bootstrap_));
  }
  if (!topic_err.ok()) {
    return Fail(fmt::format("topic \"{}\" on {}: {}", topic, bootstrap_, topic_err.Text()));
  }
  std::sort(ids.begin(), ids.end());

  std::map<int32_t, int64_t> unfinished_end;
  rd_kafka_topic_partition_list_t* assignment =
      rd_kafka_topic_partition_list_new(static_cast<int>(ids.size()));
  for (const int32_t id : ids) {
    PartitionRange range{id, 0, 0};
    const KafkaError err{rd_kafka_query_watermark_offsets(consumer.rk, topic.c_str(), id,
                                                          &range.start, &range.end, timeout_ms)};
    if (!err.ok()) {
      rd_kafka_topic_partition_list_destroy(assignment);
      return Fail(fmt::format("cannot read the offsets of {}/{} from {}: {}", topic, id, bootstrap_,
                              err.Text()));
    }
    partitions_.push_back(range);
    if (range.end > range.start) {
      rd_kafka_topic_partition_list_add(assignment, topic.c_str(), id)->offset = range.start;
      unfinished_end[id] = range.end;
    }
  }
  const KafkaError assign_err{rd_kafka_assign(consumer.rk, assignment)};
  rd_kafka_topic_partition_list_destroy(assignment);
  if (!assign_err.ok()) {
    return Fail(fmt::format("cannot assign {}: {}", topic, assign_err.Text()));
  }

  auto last_progress = SteadyClock::now();
  std::vector<int32_t> finished;
  while (!unfinished_end.empty()) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer.rk, kPollMs);
    if (m == nullptr) {
      MarkFinishedByPosition(consumer.rk, topic, unfinished_end, &finished);
      for (const int32_t id : finished) unfinished_end.erase(id);
      finished.clear();
      if (!unfinished_end.empty() && SteadyClock::now() - last_progress > timeout) {
        const auto& [id, end] = *unfinished_end.begin();
        return Fail(fmt::format(
            "reading {} from {} stalled: nothing for {} with {} partition(s) unfinished "
            "(partition {} ends at offset {})",
            topic, bootstrap_, text::Seconds(timeout), unfinished_end.size(), id, end));
      }
      continue;
    }
    const KafkaError err{m->err};
    if (err.ok()) {
      const auto it = unfinished_end.find(m->partition);
      if (it != unfinished_end.end() && m->offset < it->second) {
        const std::string_view key(static_cast<const char*>(m->key), m->key ? m->key_len : 0);
        const std::string_view value(static_cast<const char*>(m->payload), m->payload ? m->len : 0);
        on_message(m->partition, m->offset, key, value);
        ++messages_;
        last_progress = SteadyClock::now();
      }
      if (it != unfinished_end.end() && m->offset + 1 >= it->second) unfinished_end.erase(it);
    } else if (err.code != RD_KAFKA_RESP_ERR__PARTITION_EOF && !err.IsBrokerDown()) {
      rd_kafka_message_destroy(m);
      return Fail(
          fmt::format("reading {}/{} from {}: {}", topic, m->partition, bootstrap_, err.Text()));
    }
    rd_kafka_message_destroy(m);
  }
  return {};
}

std::string TopicReader::NoBrokerError(rd_kafka_t* rk, std::chrono::milliseconds timeout) {
  // Errors wait in the queue until served: hand them to OnError first.
  for (int i = 0; i < 100; ++i) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, 0);
    if (m == nullptr) break;
    rd_kafka_message_destroy(m);
  }
  const SecurityDiagnosis::Result security = security_.Get();
  if (security.definitive) return security.text;
  if (!security.text.empty()) {
    return fmt::format("{}: {}", NoBrokerReachable(bootstrap_, timeout), security.text);
  }
  return NoBrokerReachable(bootstrap_, timeout);
}

void TopicReader::OnError(rd_kafka_t*, int err, const char* reason, void* opaque) {
  auto* reader = static_cast<TopicReader*>(opaque);
  const auto code = static_cast<rd_kafka_resp_err_t>(err);
  reader->security_.OnError(code, reason);
  if (reader->log_) {
    // What librdkafka logs itself when there is no error callback.
    reader->log_(LogLevel::kError, fmt::format("librdkafka reader ERROR: {}", reason));
  }
}

int TopicReader::OnCertificate(rd_kafka_t*, const char* broker_name, int32_t, int* x509_error, int,
                               const char*, size_t, char* errstr, size_t errstr_size,
                               void* opaque) {
  auto* reader = static_cast<TopicReader*>(opaque);
  return reader->security_.OnCertificate(broker_name, *x509_error, errstr, errstr_size);
}

void TopicReader::OnLog(const rd_kafka_t* rk, int level, const char* facility, const char* line) {
  const auto* reader = static_cast<const TopicReader*>(rd_kafka_opaque(rk));
  if (reader == nullptr || !reader->log_) return;
  // Producer-only kafka.properties are expected here and not worth a warning.
  const LogLevel lvl =
      std::string_view(facility) == "CONFWARN" ? LogLevel::kDebug : LevelOfSyslog(level);
  reader->log_(lvl, fmt::format("librdkafka reader {}: {}", facility, line));
}

}  // namespace iiot
