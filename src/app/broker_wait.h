// WaitForBroker: the start of a run against real brokers. Asks the cluster for the topic
// until a broker answers, so the process can be started before its brokers (a deployment
// does not have to order them) and says what it waits for: a log line every 10 s and a
// readiness reason, both naming the bootstrap servers. An answer that the topic is missing
// (auto-creation off) ends the wait at once: waiting would not make it appear.
//
// A function, called once from the main thread before the producer starts.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "base/result.h"
#include "sink/kafka_sink.h"

namespace iiot {

struct BrokerWaitHooks {
  // The reason for not being ready yet, after every failed attempt:
  // "waiting for a Kafka broker at 127.0.0.1:9092 (20 s so far): <why>".
  std::function<void(const std::string& reason)> waiting;
  // Pauses up to this long between attempts; true stops the wait (a stop signal came).
  std::function<bool(std::chrono::milliseconds)> idle;
};

enum class BrokerWait { kReady, kStopped };

// brokers: the bootstrap servers as the user gave them, for the messages. give_up_after:
// kafka.connect_timeout (0: wait forever). Fails with why: no broker within the bound
// ("no broker reachable at 127.0.0.1:9092 within 5 s"), a missing topic, or another
// answer that waiting would not change.
Result<BrokerWait> WaitForBroker(KafkaSink& kafka, const std::string& brokers,
                                 std::chrono::milliseconds give_up_after,
                                 const BrokerWaitHooks& hooks);

}  // namespace iiot
