#include "obs/readiness.h"

#include <fmt/format.h>

namespace iiot {

Readiness EvaluateReadiness(const ReadinessInput& in) {
  if (in.stopping) return {false, "stopping: generation ended, flushing what is queued"};
  if (!in.producing) return {false, in.waiting.empty() ? "starting" : in.waiting};
  if (in.kafka && in.fatal_since_last_check) {
    std::string reason = "the Kafka producer hit a fatal error and is rebuilt";
    if (!in.last_error.empty()) reason += ": " + in.last_error;
    return {false, reason};
  }
  if (in.kafka && !in.connected) {
    // The client's error usually names the brokers already; say them once.
    if (in.last_error.find(in.brokers) != std::string::npos)
      return {false, "no connection to a Kafka broker: " + in.last_error};
    std::string reason = fmt::format("no connection to a Kafka broker ({})", in.brokers);
    if (!in.last_error.empty()) reason += ": " + in.last_error;
    return {false, reason};
  }
  if (in.recent && in.recent->Outcomes() > 0) {
    const double success = 1.0 - in.recent->ErrorRatio();
    if (success < in.min_success) {
      return {false, fmt::format("{:.1f}% of {} messages in the last {:.0f} s were delivered, "
                                 "below admin.ready_min_success {:.1f}%",
                                 success * 100, in.recent->Outcomes(), in.recent->seconds,
                                 in.min_success * 100)};
    }
  }
  return {true, ""};
}

}  // namespace iiot
