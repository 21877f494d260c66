#include "app/broker_wait.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "sink/kafka_error.h"

namespace iiot {

namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

constexpr milliseconds kAttempt{2000};  // one metadata request's bound
constexpr milliseconds kPause{500};     // between attempts (signals are seen here)
constexpr auto kLogEvery = std::chrono::seconds(10);

}  // namespace

Result<BrokerWait> WaitForBroker(KafkaSink& kafka, const std::string& brokers,
                                 milliseconds give_up_after, const BrokerWaitHooks& hooks) {
  const auto start = SteadyClock::now();
  auto next_log = start;
  for (;;) {
    const auto elapsed = std::chrono::duration_cast<milliseconds>(SteadyClock::now() - start);
    milliseconds attempt = kAttempt;
    if (give_up_after.count() > 0) {
      attempt = std::clamp(give_up_after - elapsed, milliseconds{1}, kAttempt);
    }
    const Result<void> topic = kafka.CheckTopic(attempt);
    if (topic) {
      if (next_log != start) spdlog::info("Kafka broker at {} answered: producing", brokers);
      return BrokerWait::kReady;
    }
    if (!topic.error().retryable) return topic.error();
    const std::string& why = topic.error().message;
    const auto now = SteadyClock::now();
    const auto waited = std::chrono::duration_cast<milliseconds>(now - start);
    if (give_up_after.count() > 0 && waited >= give_up_after) {
      return Fail(
          fmt::format("{} (kafka.connect_timeout)", NoBrokerReachable(brokers, give_up_after)));
    }
    // The client's latest error says why (connection refused, name not resolved, TLS).
    const std::string detail = kafka.LastError();
    const std::string reason =
        fmt::format("waiting for a Kafka broker at {} ({} s so far): {}", brokers,
                    waited.count() / 1000, detail.empty() ? why : detail);
    if (hooks.waiting) hooks.waiting(reason);
    if (now >= next_log) {
      spdlog::warn("{}", reason);
      next_log = now + kLogEvery;
    }
    if (hooks.idle && hooks.idle(kPause)) return BrokerWait::kStopped;
  }
}

}  // namespace iiot
