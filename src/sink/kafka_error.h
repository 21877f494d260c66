// KafkaError: a librdkafka error code as this program reads it. This is the one place
// that interprets rd_kafka_resp_err_t: how it prints, whether it means "queue full",
// "fatal", "brokers unreachable", and which FailureCause a failed delivery counts under.
// A plain value; thread-safe to copy and read.
//
// Example:
//   const KafkaError e{rkmessage->err};
//   if (!e.ok()) counters.CountFailure(e.DeliveryCause(status, fatal), e.Text());
#pragma once

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <string>
#include <string_view>

#include "sink/sink.h"

namespace iiot {

struct KafkaError {
  rd_kafka_resp_err_t code = RD_KAFKA_RESP_ERR_NO_ERROR;

  bool ok() const { return code == RD_KAFKA_RESP_ERR_NO_ERROR; }
  // librdkafka's symbolic name without the prefix ("_MSG_TIMED_OUT", "UNKNOWN_TOPIC_OR_PART").
  const char* name() const { return rd_kafka_err2name(code); }
  // "Local: Message timed out (_MSG_TIMED_OUT)".
  std::string Text() const;

  bool IsQueueFull() const { return code == RD_KAFKA_RESP_ERR__QUEUE_FULL; }
  bool IsFatal() const { return code == RD_KAFKA_RESP_ERR__FATAL; }
  bool IsPurge() const {
    return code == RD_KAFKA_RESP_ERR__PURGE_QUEUE || code == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT;
  }
  // The client lost or cannot make broker connections (the line should name the brokers).
  bool IsBrokerDown() const {
    return code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN || code == RD_KAFKA_RESP_ERR__TRANSPORT ||
           code == RD_KAFKA_RESP_ERR__RESOLVE;
  }
  // The topic or partition does not exist (metadata, produce, consume).
  bool IsUnknownTopic() const {
    return code == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC ||
           code == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
           code == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION;
  }

  // Which cause a failed delivery report counts under. producer_fatal: the producer
  // that sent it has raised a fatal error, so every failure of its messages is kFatal.
  FailureCause DeliveryCause(rd_kafka_msg_status_t status, bool producer_fatal) const;
};

// "no broker reachable at 127.0.0.1:9999 within 10 s".
std::string NoBrokerReachable(std::string_view bootstrap, std::chrono::milliseconds timeout);

}  // namespace iiot
