#include "sink/kafka_error.h"

#include <fmt/format.h>

#include "base/text.h"

namespace iiot {

std::string KafkaError::Text() const {
  return fmt::format("{} ({})", rd_kafka_err2str(code), name());
}

FailureCause KafkaError::DeliveryCause(rd_kafka_msg_status_t status, bool producer_fatal) const {
  if (producer_fatal || IsFatal()) return FailureCause::kFatal;
  if (IsPurge()) return FailureCause::kPurged;
  if (code == RD_KAFKA_RESP_ERR__MSG_TIMED_OUT) {
    return status == RD_KAFKA_MSG_STATUS_POSSIBLY_PERSISTED ? FailureCause::kPossiblyPersisted
                                                            : FailureCause::kTimedOut;
  }
  return FailureCause::kBrokerError;
}

std::string NoBrokerReachable(std::string_view bootstrap, std::chrono::milliseconds timeout) {
  return fmt::format("no broker reachable at {} within {}", bootstrap, text::Seconds(timeout));
}

}  // namespace iiot
