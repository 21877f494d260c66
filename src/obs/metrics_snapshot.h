// MetricsSnapshot: the plain totals and current values the app gathers from its parts
// (fleet, workers, sink, config) and hands to Metrics::Update, about once a second.
// Counters are totals since the start of the run; Metrics turns them into increments.
// Plain data; not synchronised.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "sim/reading.h"
#include "sink/kafka_stats.h"
#include "sink/sink.h"

namespace iiot {

struct MetricsSnapshot {
  // Totals since the start.
  uint64_t generated = 0;        // readings sampled and handed to the sink
  uint64_t produced = 0;         // DeliveryCounters::produced
  uint64_t delivered = 0;        // DeliveryCounters::delivered
  uint64_t bytes_delivered = 0;  // DeliveryCounters::bytes_delivered
  uint64_t dropped = 0;          // DeliveryCounters::dropped (queue full, policy drop)
  std::array<uint64_t, kFailureCauseCount> failed{};  // by FailureCause
  double blocked_s = 0;                               // DeliveryCounters::blocked_ns, in seconds
  // By AnomalyKind; index 0 (kNone) is not used.
  std::array<uint64_t, kAnomalyKindCount> anomaly_episodes{};
  std::array<uint64_t, kAnomalyKindCount> anomaly_messages{};
  uint64_t replayed = 0;      // readings sent late after a network outage
  uint64_t unsent = 0;        // readings a network outage kept from being sent
  uint64_t fatal_errors = 0;  // KafkaSink::FatalErrors
  uint64_t rebuilds = 0;      // KafkaSink::Rebuilds

  // Current values.
  uint64_t devices = 0;
  uint64_t held = 0;            // readings offline devices hold for a replay
  double target_rate = 0;       // messages per second in rate mode, else 0
  uint64_t queue_messages = 0;  // in the sink's local queue
  uint64_t queue_bytes = 0;
  uint64_t queue_max_messages = 0;  // kafka.queue_max_messages; 0 for unbuffered sinks
  bool ready = false;               // /readyz answers 200
  uint64_t config_version = 1;      // 1 at start, +1 per applied reload

  std::optional<KafkaStats> kafka;  // KafkaSink::Stats; absent for stdout/file
};

}  // namespace iiot
