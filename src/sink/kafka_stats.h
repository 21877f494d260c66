// KafkaStats: what the Kafka sink learns from librdkafka's statistics documents (the
// statistics callback, once a second), as totals since the sink was created, for the
// metrics endpoint. KafkaStatsAccumulator turns the stream of documents into them.
//
// librdkafka's counters differ in kind, so each is accumulated its own way:
//   brokers[].connects, .disconnects, .txretries  cumulative per producer and broker:
//       the change since the previous document is added; a value lower than before (the
//       producer was rebuilt, or the broker handle is new) counts in full as the change.
//   topics[].batchcnt {cnt, sum}, .batchsize {sum}  window statistics, reset every
//       interval: added up as they come.
//   brokers_up, brokers[].rtt/throttle, msg_cnt, msg_size  the latest document's values.
//
// Example:
//   KafkaStatsAccumulator acc;
//   acc.Add(json);                 // from the statistics callback
//   KafkaStats now = acc.Totals(); // now.batch_messages / now.batches: average batch size
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace iiot {

struct KafkaStats {
  int brokers_up = 0;           // brokers (nodeid >= 0, not bootstrap entries) in state UP
  uint64_t connects = 0;        // connection attempts, all brokers
  uint64_t disconnects = 0;     // connections lost, all brokers
  uint64_t retries = 0;         // produce request retries (txretries)
  uint64_t batches = 0;         // message sets sent (batchcnt window cnt, summed)
  uint64_t batch_messages = 0;  // messages in them (batchcnt window sum, summed)
  uint64_t batch_bytes = 0;     // their size in bytes (batchsize window sum, summed)
  uint64_t queue_messages = 0;  // in the producer's queues now (msg_cnt)
  uint64_t queue_bytes = 0;     // their payload bytes (msg_size)

  // One real broker (nodeid >= 0) as of the latest document.
  struct Broker {
    std::string name;       // librdkafka's "host:port/id", e.g. "127.0.0.1:9092/1"
    double rtt_s = 0;       // average request round-trip over the last interval
    double throttle_s = 0;  // average broker throttle time over the last interval
  };
  std::vector<Broker> brokers;  // ordered by name
};

// Keeps KafkaStats up to date from successive statistics documents. Not thread-safe: one
// thread calls Add (KafkaSink serialises it with Totals under its own mutex).
class KafkaStatsAccumulator {
 public:
  // Folds in one statistics JSON document. Never throws: a document that does not parse
  // is ignored and returns false; missing fields count as absent (0).
  bool Add(std::string_view json);

  // The totals so far.
  const KafkaStats& Totals() const { return totals_; }
  // The latest document had at least one broker connection up, bootstrap entries
  // included (librdkafka's internal pseudo-broker left out). False before any document.
  bool AnyConnectionUp() const { return any_connection_up_; }

 private:
  struct BrokerCounters {
    uint64_t connects = 0;
    uint64_t disconnects = 0;
    uint64_t retries = 0;
  };

  KafkaStats totals_;
  bool any_connection_up_ = false;
  std::string client_;                          // "name" of the producer last seen
  std::map<std::string, BrokerCounters> last_;  // per broker name, of that producer
};

}  // namespace iiot
