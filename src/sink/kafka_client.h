// KafkaSink::Client: one producer generation of KafkaSink (an rd_kafka_t and its topic
// handle), shared by kafka_sink.cc and kafka_callbacks.cc. Internal to the sink part.
// Owned by KafkaSink::client_ while current; the librdkafka callbacks find it through
// the rd_kafka_t opaque. The atomics are updated by Send (any worker) and the callbacks.
#pragma once

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <cstdint>

#include "sink/kafka_sink.h"

namespace iiot {

struct KafkaSink::Client {
  KafkaSink* sink = nullptr;
  uint64_t generation = 0;
  rd_kafka_t* rk = nullptr;
  rd_kafka_topic_t* topic = nullptr;
  std::atomic<bool> fatal{false};       // this producer raised a fatal error
  std::atomic<int64_t> outstanding{0};  // accepted, no delivery report yet
  std::atomic<uint64_t> failed{0};      // of its messages, counted as failed

  ~Client() {
    if (topic != nullptr) rd_kafka_topic_destroy(topic);
    if (rk != nullptr) rd_kafka_destroy(rk);
  }
};

}  // namespace iiot
