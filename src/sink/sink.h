// Sink: where encoded messages go (Kafka, stdout, a file). Send is called concurrently by
// every worker; implementations are thread-safe. Send never throws: the outcome is a
// value, and every message is counted exactly once in DeliveryCounters as delivered,
// failed, dropped or (after Close) purged.
//
// Opening a sink never throws either: each implementation has a static factory returning
// a Result (base/result.h: the sink, or a Failure naming the config key or the file).
//
// Example:
//   Result<std::unique_ptr<StreamSink>> opened = StreamSink::OpenFile("out.jsonl", Format::kJson);
//   if (!opened) return opened.error();
//   Sink& sink = **opened;
//   (void)sink.Send(key, value, intended_ns);   // from any worker
//   sink.Interrupt();                           // SIGINT: blocked Sends return kStopped
//   bool clean = sink.Close(30s);               // once, after the last Send
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "base/mutex.h"
#include "base/result.h"

namespace iiot {

// Why a message did not make it. Index into DeliveryCounters::failed.
enum class FailureCause : uint8_t {
  kTimedOut = 0,       // message.timeout.ms passed (not persisted)
  kPossiblyPersisted,  // broker may have it (e.g. timed out in flight)
  kBrokerError,        // a broker-side error (topic missing, not authorised, too large...)
  kFatal,              // producer fatal error (e.g. idempotence state lost)
  kPurged,             // still queued at shutdown when the flush bound ran out
  kIo,                 // stdout/file write failed
};
inline constexpr int kFailureCauseCount = 6;
const char* Name(FailureCause c);  // "timed_out", "possibly_persisted", ...

// Totals for one run, updated by the sink (workers and the delivery-report thread).
// Every counter is an independent atomic; reads are relaxed snapshots. The last error
// text per cause is kept under a mutex (failure path only). Thread-safe.
struct DeliveryCounters {
  // Accepted by Send (queued or written). The stdout/file sink counts a message when it
  // writes the block holding it (at most 100 ms later), so its in-flight count stays 0.
  std::atomic<uint64_t> produced{0};
  std::atomic<uint64_t> delivered{0};  // acknowledged (Kafka) or written (stdout/file)
  std::atomic<uint64_t> bytes_delivered{0};
  std::array<std::atomic<uint64_t>, kFailureCauseCount> failed{};
  std::atomic<uint64_t> dropped{0};     // refused by Send: queue full with policy drop
  std::atomic<uint64_t> blocked_ns{0};  // time Send spent waiting on a full queue

  uint64_t FailedTotal() const;
  // produced - delivered - failed: in flight right now (0 if a relaxed read races).
  uint64_t InFlight() const;

  // Counts n failures of one cause and remembers why (the text the summary prints).
  void CountFailure(FailureCause cause, std::string_view why, uint64_t n = 1);
  // The reason recorded with the latest failure of this cause ("" if none).
  std::string LastError(FailureCause cause) const;

 private:
  mutable Mutex last_error_mu_;
  std::array<std::string, kFailureCauseCount> last_error_ GUARDED_BY(last_error_mu_);
};

// Severity of a line a sink wants logged. The app maps it onto its logger.
enum class LogLevel : uint8_t { kDebug, kInfo, kWarn, kError };
// Where sinks log. Must be thread-safe; each sink says which threads call it.
// An empty function discards the lines.
using LogFn = std::function<void(LogLevel level, std::string_view line)>;

// Told the latency of each delivered message, measured from its intended send time (so a
// stalled sink shows as latency, not as fewer samples). Implementations must be
// thread-safe and cheap: a sink calls Observe on its delivery path (the Kafka poller
// thread, or each worker for stdout/file). Also used for other per-message timings.
class LatencyObserver {
 public:
  virtual void Observe(int64_t latency_ns) noexcept = 0;
  // Several at once, as a sink delivering a batch reports them; an implementation that
  // locks per call can take one lock for the lot. The default observes each in turn.
  virtual void ObserveMany(std::span<const int64_t> latencies_ns) noexcept {
    for (const int64_t ns : latencies_ns) Observe(ns);
  }

 protected:
  ~LatencyObserver() = default;
};

enum class SendResult : uint8_t {
  kQueued,   // accepted; the delivery report will count it
  kDropped,  // queue full and policy is drop (counted in dropped)
  kStopped,  // interrupted, closing or broken; not counted anywhere; the caller should stop
  kFailed,   // refused at once (e.g. unknown topic); counted in produced and failed
};

class Sink {
 public:
  virtual ~Sink() = default;

  // Thread-safe. key and value are copied before return. intended_ns is the message's
  // intended send time (steady clock), for latency measured without coordinated omission.
  [[nodiscard]] virtual SendResult Send(std::string_view key, std::string_view value,
                                        int64_t intended_ns) = 0;

  // Thread-safe, returns at once. Every Send blocked on a full queue, and every later
  // Send, returns kStopped. Messages already accepted are still delivered by Close.
  // The app calls it on SIGINT/SIGTERM.
  virtual void Interrupt() = 0;

  // Waits up to timeout for every queued message to be delivered or failed, then counts
  // whatever is still queued as purged. Called once, after the last Send (a second call
  // returns the first result). Returns true when nothing was left queued.
  virtual bool Close(std::chrono::milliseconds timeout) = 0;

  virtual const DeliveryCounters& counters() const = 0;
  // Why messages failed with this cause, for the summary ("" if none did).
  virtual std::string LastError(FailureCause cause) const { return counters().LastError(cause); }
  // Messages queued in the client right now (0 for unbuffered sinks).
  virtual uint64_t QueueDepth() const { return counters().InFlight(); }
  // One human line about where data goes ("kafka 127.0.0.1:9092 topic plant").
  virtual std::string Describe() const = 0;

  // Sets who is told each delivery's latency (null: nobody). Call before the first Send;
  // the observer must outlive the sink.
  void SetLatencyObserver(LatencyObserver* observer) {
    latency_observer_.store(observer, std::memory_order_release);
  }

 protected:
  // For implementations: reports one delivered message whose intended send time was
  // intended_ns (steady clock), measured at now_ns.
  void ObserveDelivery(int64_t intended_ns, int64_t now_ns) const {
    if (LatencyObserver* o = latency_observer_.load(std::memory_order_acquire))
      o->Observe(now_ns - intended_ns);
  }
  // The observer, or null: for a sink that reports a batch through ObserveMany.
  LatencyObserver* latency_observer() const {
    return latency_observer_.load(std::memory_order_acquire);
  }

 private:
  std::atomic<LatencyObserver*> latency_observer_{nullptr};
};

}  // namespace iiot
