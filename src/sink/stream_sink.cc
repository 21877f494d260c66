#include "sink/stream_sink.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

namespace iiot {

namespace {

constexpr size_t kFlushBytes = 64 * 1024;
constexpr int64_t kFlushAgeNs = 100'000'000;

// The monotonic clock at its coarse resolution (a few ms): enough to age a buffer, and a
// few times cheaper than the precise one on every message.
int64_t CoarseNowNs() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

const char* Framing(Format f) {
  return f == Format::kJson ? "json lines" : "protobuf, length-delimited";
}

void AppendVarint(std::string* out, uint64_t n) {
  while (n >= 0x80) {
    out->push_back(static_cast<char>((n & 0x7f) | 0x80));
    n >>= 7;
  }
  out->push_back(static_cast<char>(n));
}

}  // namespace

Result<std::unique_ptr<StreamSink>> StreamSink::OpenStdout(Format format) {
  return std::unique_ptr<StreamSink>(new StreamSink(STDOUT_FILENO, false, format,
                                                    isatty(STDOUT_FILENO) == 1, "stdout",
                                                    fmt::format("stdout ({})", Framing(format))));
}

Result<std::unique_ptr<StreamSink>> StreamSink::OpenFile(const std::string& path, Format format,
                                                         std::string_view key) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Fail(
        fmt::format("{}: cannot open \"{}\" for writing: {}", key, path, std::strerror(errno)));
  }
  return std::unique_ptr<StreamSink>(new StreamSink(
      fd, true, format, false, path, fmt::format("file {} ({})", path, Framing(format))));
}

StreamSink::StreamSink(int fd, bool owns_fd, Format format, bool flush_each, std::string name,
                       std::string describe)
    : fd_(fd),
      owns_fd_(owns_fd),
      format_(format),
      flush_each_(flush_each),
      name_(std::move(name)),
      describe_(std::move(describe)) {}

StreamSink::~StreamSink() { Close(std::chrono::milliseconds(0)); }

StreamSink::Lane& StreamSink::LaneOfThisThread() {
  static std::atomic<uint32_t> next_thread{0};
  thread_local const uint32_t thread = next_thread.fetch_add(1, std::memory_order_relaxed);
  return lanes_[thread % kLanes];
}

SendResult StreamSink::Send(std::string_view, std::string_view value, int64_t intended_ns) {
  const int64_t now_ns = CoarseNowNs();
  {
    Lane& lane = LaneOfThisThread();
    MutexLock lock(&lane.mu);
    if (stopped_.load(std::memory_order_relaxed) || broken_.load(std::memory_order_relaxed) ||
        closed_.load(std::memory_order_relaxed)) {
      return SendResult::kStopped;
    }
    if (lane.buffered.capacity() == 0) {
      lane.buffer.reserve(kFlushBytes + 4096);
      lane.buffered.reserve(1024);
    }
    if (format_ == Format::kJson) {
      lane.buffer.append(value);
      lane.buffer.push_back('\n');
    } else {
      AppendVarint(&lane.buffer, value.size());
      lane.buffer.append(value);
    }
    if (lane.buffered.empty()) lane.oldest_ns = now_ns;
    lane.buffered.push_back({lane.buffer.size(), intended_ns});
    if (flush_each_ || lane.buffer.size() >= kFlushBytes ||
        now_ns - lane.oldest_ns >= kFlushAgeNs) {
      if (!FlushLane(lane)) return SendResult::kFailed;
    }
  }
  // Every 100 ms, a Send also writes the other lanes that have waited that long: a worker
  // with little to send (few devices, or none left after a reload) would otherwise hold
  // its last messages until its next one.
  if (int64_t due = next_sweep_ns_.load(std::memory_order_relaxed);
      now_ns >= due && next_sweep_ns_.compare_exchange_strong(due, now_ns + kFlushAgeNs)) {
    FlushAged(now_ns);
  }
  return SendResult::kQueued;
}

void StreamSink::FlushAged(int64_t now_ns) {
  for (Lane& lane : lanes_) {
    if (!lane.mu.try_lock()) continue;  // its own Send is at it
    if (!lane.buffered.empty() && now_ns - lane.oldest_ns >= kFlushAgeNs) (void)FlushLane(lane);
    lane.mu.unlock();
  }
}

size_t StreamSink::WriteAll(const char* data, size_t size, int* error) {
  size_t written = 0;
  while (written < size) {
    const ssize_t n = ::write(fd_, data + written, size - written);
    if (n >= 0) {
      written += static_cast<size_t>(n);
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      pollfd pfd{fd_, POLLOUT, 0};
      ::poll(&pfd, 1, 100);
    } else if (errno != EINTR) {
      *error = errno;
      break;
    }
  }
  return written;
}

bool StreamSink::FlushLane(Lane& lane) {
  if (lane.buffered.empty()) return true;
  counters_.produced.fetch_add(lane.buffered.size(), std::memory_order_relaxed);
  int error = 0;
  size_t written = 0;
  uint64_t offset = 0;  // of this block in the output
  bool after_failure = false;
  {
    MutexLock lock(&write_mu_);
    // Checked under the lock: a block written after another lane's failed write would follow
    // a message cut short.
    after_failure = broken_.load(std::memory_order_relaxed);
    if (!after_failure) {
      offset = written_;
      written = WriteAll(lane.buffer.data(), lane.buffer.size(), &error);
      written_ += written;
      if (error != 0) broken_ = true;
    }
  }
  if (after_failure) {
    counters_.CountFailure(FailureCause::kIo,
                           fmt::format("not written: an earlier write to {} failed", name_),
                           lane.buffered.size());
    lane.Clear();
    return false;
  }
  if (error == 0) {
    Delivered(lane, lane.buffered.size());
    lane.Clear();
    return true;
  }
  // The messages the write took whole made it; the one cut in half and the rest did not.
  const auto whole = static_cast<size_t>(
      std::upper_bound(lane.buffered.begin(), lane.buffered.end(), written,
                       [](size_t at, const Buffered& b) { return at < b.end; }) -
      lane.buffered.begin());
  const size_t whole_end = whole == 0 ? 0 : lane.buffered[whole - 1].end;
  Delivered(lane, whole);
  std::string why = fmt::format("write to {} failed: {}", name_, std::strerror(error));
  if (written > whole_end) {
    why += fmt::format(
        " (the last message written is cut short: it starts at byte {}; "
        "cut the output there)",
        offset + whole_end);
  }
  counters_.CountFailure(FailureCause::kIo, why, lane.buffered.size() - whole);
  lane.Clear();
  return false;
}

void StreamSink::Delivered(Lane& lane, size_t whole) {
  if (whole == 0) return;
  counters_.delivered.fetch_add(whole, std::memory_order_relaxed);
  counters_.bytes_delivered.fetch_add(lane.buffered[whole - 1].end, std::memory_order_relaxed);
  LatencyObserver* observer = latency_observer();
  if (observer == nullptr) return;
  const int64_t now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::steady_clock::now().time_since_epoch())
                             .count();
  lane.latencies.clear();
  for (size_t i = 0; i < whole; ++i)
    lane.latencies.push_back(now_ns - lane.buffered[i].intended_ns);
  observer->ObserveMany(lane.latencies);
}

void StreamSink::Interrupt() { stopped_ = true; }

bool StreamSink::Close(std::chrono::milliseconds) {
  MutexLock close_lock(&close_mu_);
  if (closed_.exchange(true)) return close_result_;
  // A Send checks closed_ under its lane's lock: once a lane is flushed here, nothing more
  // is added to it.
  bool ok = true;
  for (Lane& lane : lanes_) {
    MutexLock lock(&lane.mu);
    if (!FlushLane(lane)) ok = false;
  }
  ok = ok && !broken_.load();
  if (owns_fd_ && ::close(fd_) != 0 && ok) {
    counters_.CountFailure(FailureCause::kIo,
                           fmt::format("closing {} failed: {}", name_, std::strerror(errno)), 0);
    ok = false;
  }
  close_result_ = ok;
  return ok;
}

}  // namespace iiot
