// StreamSink: the Sink that writes messages to standard output or to a file, framed so a
// reader can split them again:
//   JSON      value + '\n' (JSON lines; the key is not written, the value carries it)
//   Protobuf  varint length prefix + bytes (the standard length-delimited stream, as
//             protobuf's writeDelimitedTo / parseDelimitedFrom)
//
// Each sending thread buffers in a lane of its own (64 KiB, or 100 ms, or every message
// when stdout is a terminal), so workers do not meet on a lock per message; a full lane
// is written whole, under one lock for the file. A thread always uses the same lane, so
// the messages of one device (one worker sends them all) keep their order; the output
// interleaves the workers' messages in blocks. Every 100 ms a Send also writes the other
// lanes that have waited that long (a quiet worker's last messages). After a failed write
// nothing more is written. Messages count as produced and then
// delivered once write(2) has taken their block; a failed write counts that block's
// messages as failed (kIo, with the errno text) and stops the sink: later Sends return
// kStopped, and what other lanes still hold is counted failed at Close. Close writes what
// every lane holds.
//
// Thread-safety: thread-safe. No threads of its own; nothing is logged. Interrupt does
// not cut short a write(2) already blocked on a full pipe. The LatencyObserver (if set) is
// told a written block's latencies at once (ObserveMany), by the Send (or Close) whose
// write delivered them.
//
// Example:
//   Result<std::unique_ptr<StreamSink>> out = StreamSink::OpenFile("readings.jsonl",
//   Format::kJson); if (!out) { /* out.error: "output.file: cannot open \"/x/readings.jsonl\" ..."
//   */ }
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "base/mutex.h"
#include "config/config.h"
#include "sink/sink.h"

namespace iiot {

class StreamSink final : public Sink {
 public:
  // Standard output (fd 1). Nothing else in the process should write to stdout then.
  static Result<std::unique_ptr<StreamSink>> OpenStdout(Format format);
  // Creates or truncates `path`. The error names the path and errno's text.
  // key: the config key named in an error ("output.file", "labels.file").
  static Result<std::unique_ptr<StreamSink>> OpenFile(const std::string& path, Format format,
                                                      std::string_view key = "output.file");
  ~StreamSink() override;  // Close(0) if Close was not called

  StreamSink(const StreamSink&) = delete;
  StreamSink& operator=(const StreamSink&) = delete;

  // kQueued (buffered or written), kStopped after Interrupt/Close or a failed write,
  // kFailed when the write this Send triggered failed (counted as kIo).
  [[nodiscard]] SendResult Send(std::string_view key, std::string_view value,
                                int64_t intended_ns) override;
  void Interrupt() override;
  // Writes the buffer and closes a file. True when everything was written.
  bool Close(std::chrono::milliseconds timeout) override;
  const DeliveryCounters& counters() const override { return counters_; }
  std::string Describe() const override { return describe_; }

 private:
  // Lanes per sink: threads beyond this share one (correct, just a lock they meet on).
  static constexpr size_t kLanes = 16;
  // One buffered message: where it ends in its lane's buffer, and its intended send time.
  struct Buffered {
    size_t end = 0;
    int64_t intended_ns = 0;
  };
  // One sending thread's buffer. Aligned so two lanes never share a cache line.
  struct alignas(64) Lane {
    Mutex mu;
    std::string buffer GUARDED_BY(mu);
    std::vector<Buffered> buffered GUARDED_BY(mu);
    int64_t oldest_ns GUARDED_BY(mu) = 0;           // coarse clock at the first buffered
    std::vector<int64_t> latencies GUARDED_BY(mu);  // scratch for the observer

    // Forgets the buffered messages (written or counted failed).
    void Clear() REQUIRES(mu) {
      buffer.clear();
      buffered.clear();
    }
  };

  StreamSink(int fd, bool owns_fd, Format format, bool flush_each, std::string name,
             std::string describe);
  // The calling thread's lane: threads take lanes in the order they first send.
  Lane& LaneOfThisThread();
  // Writes the lane's buffer out; counts its messages produced, then delivered or failed.
  // False on failure. A write that fails after taking part of the buffer: the messages it
  // took whole are delivered, the one it cut and the rest failed (io), and the error says
  // where the cut message starts. After an earlier failure nothing is written: all failed.
  bool FlushLane(Lane& lane) REQUIRES(lane.mu) EXCLUDES(write_mu_);
  // Writes [data, data + size) whole; returns how much was written and, on failure, errno.
  size_t WriteAll(const char* data, size_t size, int* error) REQUIRES(write_mu_);
  // Writes the lanes whose oldest message has waited kFlushAge, skipping any lane whose
  // lock is taken (its Send is writing it).
  void FlushAged(int64_t now_ns) EXCLUDES(write_mu_);
  // Counts the lane's first `whole` buffered messages delivered (their bytes, their latency).
  void Delivered(Lane& lane, size_t whole) REQUIRES(lane.mu);

  // Constant after construction.
  const int fd_;
  const bool owns_fd_;
  const Format format_;
  const bool flush_each_;   // stdout on a terminal: show every message at once
  const std::string name_;  // "stdout" or the path, for error texts
  const std::string describe_;

  DeliveryCounters counters_;
  std::atomic<bool> stopped_{false};
  std::atomic<bool> broken_{false};  // a write failed
  std::atomic<bool> closed_{false};
  std::atomic<int64_t> next_sweep_ns_{0};  // when a Send next looks at the other lanes

  std::array<Lane, kLanes> lanes_;
  // Lock order: a lane's mu, then write_mu_.
  Mutex write_mu_;
  uint64_t written_ GUARDED_BY(write_mu_) = 0;  // bytes written so far (the file offset)

  Mutex close_mu_;  // serialises Close
  bool close_result_ GUARDED_BY(close_mu_) = false;
};

}  // namespace iiot
