// StreamSink: the Sink that writes messages to standard output or to a file, framed so a
// reader can split them again:
//   JSON      value + '\n' (JSON lines; the key is not written, the value carries it)
//   Protobuf  varint length prefix + bytes (the standard length-delimited stream, as
//             protobuf's writeDelimitedTo / parseDelimitedFrom)
//
// Messages are buffered (64 KiB, or 100 ms, or every message when stdout is a terminal)
// and count as delivered once write(2) has taken them; a failed write counts the
// buffered messages as failed (kIo, with the errno text) and stops the sink: later Sends
// return kStopped. Close writes what is buffered.
//
// Thread-safety: thread-safe; a mutex serialises framing and writing. No threads of its
// own; nothing is logged. Interrupt does not cut short a write(2) already blocked on a
// full pipe. The LatencyObserver (if set) is called under that mutex, once per message,
// by the Send (or Close) whose write delivered it.
//
// Example:
//   Result<std::unique_ptr<StreamSink>> out = StreamSink::OpenFile("readings.jsonl",
//   Format::kJson); if (!out) { /* out.error: "output.file: cannot open \"/x/readings.jsonl\" ..."
//   */ }
#pragma once

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
  StreamSink(int fd, bool owns_fd, Format format, bool flush_each, std::string name,
             std::string describe);
  // Writes buffer_ out; counts its messages delivered or failed. False on failure. A write
  // that fails after taking part of the buffer: the messages it took whole are delivered,
  // the one it cut and the rest failed (io), and the error says where the cut message starts.
  bool FlushLocked() REQUIRES(mu_);
  // Counts the first `whole` buffered messages delivered (their bytes, their latency).
  void Delivered(size_t whole) REQUIRES(mu_);

  // Constant after construction.
  const int fd_;
  const bool owns_fd_;
  const Format format_;
  const bool flush_each_;   // stdout on a terminal: show every message at once
  const std::string name_;  // "stdout" or the path, for error texts
  const std::string describe_;

  DeliveryCounters counters_;
  std::atomic<bool> stopped_{false};

  Mutex mu_;
  std::string buffer_ GUARDED_BY(mu_);
  // One per buffered message: where it ends in buffer_, and its intended send time.
  struct Buffered {
    size_t end = 0;
    int64_t intended_ns = 0;
  };
  std::vector<Buffered> buffered_ GUARDED_BY(mu_);
  uint64_t written_ GUARDED_BY(mu_) = 0;  // bytes written so far (the file offset)
  std::chrono::steady_clock::time_point oldest_ GUARDED_BY(mu_){};  // first buffered
  bool broken_ GUARDED_BY(mu_) = false;                             // a write failed
  bool closed_ GUARDED_BY(mu_) = false;
  bool close_result_ GUARDED_BY(mu_) = false;
};

}  // namespace iiot
