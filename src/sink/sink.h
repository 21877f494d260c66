// Sink: where encoded messages go (Kafka, stdout, a file). Send is called concurrently by
// every worker; implementations are thread-safe. Send never throws: the outcome is a
// value, and every message is counted exactly once in DeliveryCounters as delivered,
// failed, dropped or (after Close) purged.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace iiot {

// Why a message did not make it. Index into DeliveryCounters::failed.
enum class FailureCause : uint8_t {
  kTimedOut = 0,      // message.timeout.ms passed (not persisted)
  kPossiblyPersisted, // broker may have it (e.g. timed out in flight)
  kBrokerError,       // a broker-side error (topic missing, not authorised, too large...)
  kFatal,             // producer fatal error (e.g. idempotence state lost)
  kPurged,            // still queued at shutdown when the flush bound ran out
  kIo,                // stdout/file write failed
};
inline constexpr int kFailureCauseCount = 6;
const char* Name(FailureCause c);  // "timed_out", "possibly_persisted", ...

// Totals for one run, updated by the sink (workers and the delivery-report thread).
// Every field is an independent atomic counter; reads are relaxed snapshots.
struct DeliveryCounters {
  std::atomic<uint64_t> produced{0};    // accepted by Send (queued or written)
  std::atomic<uint64_t> delivered{0};   // acknowledged (Kafka) or written (stdout/file)
  std::atomic<uint64_t> bytes_delivered{0};
  std::array<std::atomic<uint64_t>, kFailureCauseCount> failed{};
  std::atomic<uint64_t> dropped{0};     // refused by Send: queue full with policy drop
  std::atomic<uint64_t> blocked_ns{0};  // time Send spent waiting on a full queue

  uint64_t FailedTotal() const;
  // produced - delivered - failed: in flight right now.
  uint64_t InFlight() const;
};

enum class SendResult : uint8_t {
  kQueued,   // accepted; the delivery report will count it
  kDropped,  // queue full and policy is drop (counted in dropped)
  kStopped,  // the sink is closing or fatally broken; the caller should stop
};

class Sink {
 public:
  virtual ~Sink() = default;

  // Thread-safe. key and value are copied before return. intended_ns is the message's
  // intended send time (steady clock), for latency measured without coordinated omission.
  [[nodiscard]] virtual SendResult Send(std::string_view key, std::string_view value,
                                        int64_t intended_ns) = 0;

  // Waits up to timeout for every queued message to be delivered or failed, then counts
  // whatever is still queued as purged. Called once, after the last Send.
  // Returns true when nothing was left queued.
  virtual bool Close(std::chrono::milliseconds timeout) = 0;

  virtual const DeliveryCounters& counters() const = 0;
  // Messages queued in the client right now (0 for unbuffered sinks).
  virtual uint64_t QueueDepth() const { return counters().InFlight(); }
  // One human line about where data goes ("kafka 127.0.0.1:9092 topic plant").
  virtual std::string Describe() const = 0;
};

}  // namespace iiot
