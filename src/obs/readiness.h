// Readiness: whether this run should be sent traffic expectations — the answer of
// /readyz and the iiot_ready gauge — from what the run knows right now. A pure function
// of its input; thread-compatible.
#pragma once

#include <optional>
#include <string>

#include "obs/run_window.h"

namespace iiot {

struct ReadinessInput {
  bool producing = false;               // started and not stopping
  bool stopping = false;                // a stop was requested (signal, count, duration)
  std::string waiting;                  // not producing yet: what the start waits for ("" = none)
  bool kafka = false;                   // the sink is Kafka (connection matters)
  bool connected = true;                // Kafka: a broker connection is up and no rebuild runs
  bool fatal_since_last_check = false;  // Kafka: a fatal error (and rebuild) since the last
                                        // evaluation: not ready for one round, however fast
                                        // the rebuild was, so /readyz and the log show it
  std::string brokers;                  // Kafka: the bootstrap servers, for the reason
  std::string last_error;               // Kafka: the latest client error, for the reason
  std::optional<WindowDelta> recent;    // the last admin.ready_window
  double min_success = 0.9;             // admin.ready_min_success
};

struct Readiness {
  bool ok = false;
  std::string reason;  // why not ready ("" when ready)
};

// Ready when producing, (for Kafka) connected, and at least min_success of the messages
// with an outcome in the recent window were delivered (no outcomes: no verdict, ready).
Readiness EvaluateReadiness(const ReadinessInput& in);

}  // namespace iiot
