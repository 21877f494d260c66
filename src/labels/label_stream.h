// LabelStream: where the labels stream goes — a topic on the run's Kafka cluster
// (labels.topic), a JSON-lines file (labels.file), or both. Write is called by every
// worker and by the incident log at once: thread-safe (each Sink is; the counts are atomic).
//
// Example:
//   auto labels = LabelStream::Open(cfg, cluster);   // null when both keys are empty
//   (*labels)->Write(id, AnomalyRecord(LabelEvent::kStart, e, fleet));
//   (*labels)->Close(5s);  // after the last Write
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "config/config.h"
#include "sink/embedded_cluster.h"
#include "sink/sink.h"

namespace iiot {

class LabelStream {
 public:
  // The sinks cfg.labels names (Kafka: the run's cluster, cfg.kafka with labels.topic; the
  // embedded one when `embedded` is given; validation saw to output.sink being kafka then). Null
  // when labels are off. log: the Kafka client's lines. Errors name the key (labels.file: cannot
  // open …).
  static Result<std::unique_ptr<LabelStream>> Open(const Config& cfg,
                                                   const EmbeddedCluster* embedded, LogFn log);
  // For tests: the given sinks.
  explicit LabelStream(std::vector<std::unique_ptr<Sink>> sinks);

  // One record (key: its id) to every sink.
  void Write(std::string_view key, std::string_view record);

  // SIGINT/SIGTERM: a Write blocked on a full Kafka queue returns (the record is counted
  // lost). Any thread.
  void Interrupt();

  // Flushes every sink (up to `timeout` each); true when every record made it.
  bool Close(std::chrono::milliseconds timeout);

  uint64_t written() const { return written_.load(std::memory_order_relaxed); }
  // Record copies that did not make it to their sink (failed or dropped), over the sinks.
  uint64_t Lost() const;
  // "topic iiot.labels (kafka …), file labels.jsonl"
  std::string Describe() const;

 private:
  std::vector<std::unique_ptr<Sink>> sinks_;  // constant after construction
  std::atomic<uint64_t> written_{0};
};

}  // namespace iiot
