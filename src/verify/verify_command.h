// The `iiot-producer verify` command without its command line: reads a topic from the
// beginning to the end offsets captured at the start (TopicReader), decodes every message
// (the full schema check of codec/decoder.h), feeds the SeqTracker and returns the judged
// VerifyReport. TopicCheck is the per-message part, usable without Kafka.
//
// Thread-safety: TopicCheck is not thread-safe (one reader thread feeds it). VerifyTopic
// may be called from any thread; it blocks until the read ends or fails.
//
// Example:
//   VerifyOptions o;
//   o.kafka = cfg.kafka;                  // brokers, topic, client id, kafka.properties
//   o.expect.per_device = 100;
//   VerifyReport r = VerifyTopic(o, log);
//   std::fputs(RenderTable(r).c_str(), stdout);
//   return r.clean ? 0 : 1;
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "codec/decoder.h"
#include "config/config.h"
#include "sink/sink.h"
#include "verify/seq_tracker.h"
#include "verify/verify_report.h"

namespace iiot {

struct VerifyOptions {
  KafkaConfig kafka;               // kafka.brokers, topic, client_id, properties are used
  std::string bootstrap_override;  // read from here instead (an EmbeddedCluster's bootstraps())
  Format format = Format::kJson;
  Expectations expect;
  std::chrono::milliseconds timeout{30'000};  // to reach a broker, and with no progress
  size_t devices_listed = 100;                // bound on VerifyReport::worst
  size_t ranges_per_device = 5;               // missing ranges listed per device
  size_t unparsable_listed = 10;              // bound on VerifyReport::unparsable_examples
};

// Checks messages one by one, in each partition's offset order.
class TopicCheck {
 public:
  explicit TopicCheck(const VerifyOptions& options);

  // One Kafka message. Never throws on any bytes: what Decode rejects is counted.
  void Add(int32_t partition, int64_t offset, std::string_view key, std::string_view value);

  // The report so far (not judged: the caller fills error, partitions' ranges, seconds,
  // then calls Judge). Partitions get their message counts here.
  VerifyReport Report() const;

 private:
  // Constant after construction.
  const VerifyOptions options_;

  SeqTracker tracker_;
  DecodedReading decoded_;  // reused: Decode keeps its capacity
  std::string error_;
  uint64_t messages_ = 0;
  uint64_t unparsable_ = 0;
  std::vector<UnparsableExample> examples_;
  std::map<int32_t, uint64_t> per_partition_;
  std::map<int32_t, UnixMillis> newest_ts_;  // per partition, over the messages read
  uint64_t late_ = 0;
  int64_t late_max_ms_ = 0;
};

// Reads options.kafka.topic and returns the judged report. A broker or topic error is in
// report.error (report.config_error for a rejected kafka.properties entry), with whatever
// was read before it counted.
VerifyReport VerifyTopic(const VerifyOptions& options, LogFn log);

}  // namespace iiot
