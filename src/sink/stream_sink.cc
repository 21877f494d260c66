#include "sink/stream_sink.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace iiot {

namespace {

constexpr size_t kFlushBytes = 64 * 1024;
constexpr std::chrono::milliseconds kFlushAge{100};

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
      describe_(std::move(describe)) {
  buffer_.reserve(kFlushBytes + 4096);
  buffered_.reserve(4096);
}

StreamSink::~StreamSink() { Close(std::chrono::milliseconds(0)); }

SendResult StreamSink::Send(std::string_view, std::string_view value, int64_t intended_ns) {
  MutexLock lock(&mu_);
  if (stopped_.load(std::memory_order_relaxed) || broken_ || closed_) return SendResult::kStopped;
  if (format_ == Format::kJson) {
    buffer_.append(value);
    buffer_.push_back('\n');
  } else {
    AppendVarint(&buffer_, value.size());
    buffer_.append(value);
  }
  const auto now = std::chrono::steady_clock::now();
  if (buffered_.empty()) oldest_ = now;
  buffered_.push_back({buffer_.size(), intended_ns});
  counters_.produced.fetch_add(1, std::memory_order_relaxed);
  if (flush_each_ || buffer_.size() >= kFlushBytes || now - oldest_ >= kFlushAge) {
    if (!FlushLocked()) return SendResult::kFailed;
  }
  return SendResult::kQueued;
}

bool StreamSink::FlushLocked() {
  size_t written = 0;
  while (written < buffer_.size()) {
    const ssize_t n = ::write(fd_, buffer_.data() + written, buffer_.size() - written);
    if (n >= 0) {
      written += static_cast<size_t>(n);
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      pollfd pfd{fd_, POLLOUT, 0};
      ::poll(&pfd, 1, 100);
    } else if (errno != EINTR) {
      const int e = errno;
      // The messages the writes took whole made it; the one cut in half and the rest did not.
      const auto whole = static_cast<size_t>(
          std::upper_bound(buffered_.begin(), buffered_.end(), written,
                           [](size_t at, const Buffered& b) { return at < b.end; }) -
          buffered_.begin());
      const size_t whole_end = whole == 0 ? 0 : buffered_[whole - 1].end;
      Delivered(whole);
      std::string why = fmt::format("write to {} failed: {}", name_, std::strerror(e));
      if (written > whole_end) {
        why += fmt::format(
            " (the last message written is cut short: it starts at byte {}; "
            "cut the output there)",
            written_ + whole_end);
      }
      written_ += written;
      counters_.CountFailure(FailureCause::kIo, why, buffered_.size() - whole);
      broken_ = true;
      buffer_.clear();
      buffered_.clear();
      return false;
    }
  }
  Delivered(buffered_.size());
  written_ += written;
  buffer_.clear();
  buffered_.clear();
  return true;
}

void StreamSink::Delivered(size_t whole) {
  if (whole == 0) return;
  counters_.delivered.fetch_add(whole, std::memory_order_relaxed);
  counters_.bytes_delivered.fetch_add(buffered_[whole - 1].end, std::memory_order_relaxed);
  const int64_t now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::steady_clock::now().time_since_epoch())
                             .count();
  for (size_t i = 0; i < whole; ++i) ObserveDelivery(buffered_[i].intended_ns, now_ns);
}

void StreamSink::Interrupt() { stopped_ = true; }

bool StreamSink::Close(std::chrono::milliseconds) {
  MutexLock lock(&mu_);
  if (closed_) return close_result_;
  closed_ = true;
  close_result_ = FlushLocked() && !broken_;
  if (owns_fd_ && ::close(fd_) != 0 && close_result_) {
    counters_.CountFailure(FailureCause::kIo,
                           fmt::format("closing {} failed: {}", name_, std::strerror(errno)), 0);
    close_result_ = false;
  }
  return close_result_;
}

}  // namespace iiot
