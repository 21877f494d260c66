#include "app/terminal.h"

#include <cstdio>

namespace iiot {

namespace {

// Formats each record with spdlog's pattern and hands it to the Terminal.
class TerminalLogSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit TerminalLogSink(Terminal& terminal) : terminal_(terminal) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t buf;
    formatter_->format(msg, buf);
    terminal_.Write(fmt::to_string(buf));
  }
  void flush_() override { std::fflush(stderr); }

 private:
  Terminal& terminal_;
};

}  // namespace

void Terminal::SetStatus(const std::string& line) {
  if (!status_enabled_) return;
  MutexLock lock(&mu_);
  status_ = line;
  std::fprintf(stderr, "\r\033[K%s", status_.c_str());
  std::fflush(stderr);
}

void Terminal::ClearStatus() {
  if (!status_enabled_) return;
  MutexLock lock(&mu_);
  if (!status_.empty()) std::fputs("\r\033[K", stderr);
  status_.clear();
  std::fflush(stderr);
}

void Terminal::Write(const std::string& text) {
  MutexLock lock(&mu_);
  if (status_enabled_ && !status_.empty()) std::fputs("\r\033[K", stderr);
  std::fputs(text.c_str(), stderr);
  if (status_enabled_ && !status_.empty()) std::fputs(status_.c_str(), stderr);
  std::fflush(stderr);
}

std::shared_ptr<spdlog::sinks::sink> Terminal::MakeLogSink() {
  return std::make_shared<TerminalLogSink>(*this);
}

}  // namespace iiot
