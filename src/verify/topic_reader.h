// TopicReader: reads a whole topic once, from the start of each partition up to the end
// offsets it captures when it starts (messages produced meanwhile are not waited for),
// handing each message to a callback. For the `verify` command and round-trip tests.
//
// It uses its own librdkafka consumer with assign() (no group membership, no commits; a
// group.id is set only because the consumer API wants one), configured like the producer:
// bootstrap servers, client id and kafka.properties pass through.
//
// Thread-safety: not thread-safe; one Read at a time. on_message runs on the thread that
// calls Read. LogFn is called from librdkafka's internal threads.
//
// Example:
//   TopicReader reader(cfg.kafka, log);
//   Result<void> r = reader.Read([&](int32_t p, int64_t off, std::string_view key,
//                                    std::string_view value) { ... }, 10s);
//   if (!r) { /* r.error().message: "topic \"x\" does not exist on 127.0.0.1:9092" */ }
#pragma once

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "sink/kafka_security.h"
#include "sink/sink.h"

namespace iiot {

// One partition's range as read: offsets [start, end).
struct PartitionRange {
  int32_t partition = 0;
  int64_t start = 0;  // low watermark when the read began
  int64_t end = 0;    // high watermark when the read began
};

class TopicReader {
 public:
  using MessageFn = std::function<void(int32_t partition, int64_t offset, std::string_view key,
                                       std::string_view value)>;

  // Reads kafka.topic from kafka.brokers, or from bootstrap_override when it is not empty
  // (the embedded cluster's bootstraps()).
  TopicReader(const KafkaConfig& kafka, LogFn log, std::string bootstrap_override = {});

  // Success when every partition was read to its end. Failures: bad properties (a config
  // error), no broker within timeout, missing topic, or no progress for `timeout` while
  // reading. on_message may have been called before a failure.
  Result<void> Read(const MessageFn& on_message, std::chrono::milliseconds timeout);

  // What the last Read got to, also after a failure: every partition with the offsets
  // captured when it began (empty if it failed before), and the messages handed on.
  const std::vector<PartitionRange>& partitions() const { return partitions_; }
  uint64_t messages() const { return messages_; }

 private:
  static void OnLog(const rd_kafka_t* rk, int level, const char* facility, const char* line);
  static void OnError(rd_kafka_t* rk, int err, const char* reason, void* opaque);
  static int OnCertificate(rd_kafka_t* rk, const char* broker_name, int32_t broker_id,
                           int* x509_error, int depth, const char* buf, size_t size, char* errstr,
                           size_t errstr_size, void* opaque);
  // Why no broker answered: the security failure when one was seen, else "no broker
  // reachable at ... within ...".
  std::string NoBrokerError(rd_kafka_t* rk, std::chrono::milliseconds timeout);

  const KafkaConfig kafka_;
  const LogFn log_;
  const std::string bootstrap_;
  SecurityDiagnosis security_;  // fed by OnError and OnCertificate
  std::vector<PartitionRange> partitions_;
  uint64_t messages_ = 0;
};

}  // namespace iiot
