#include "app/terminal.h"

#include <cstdio>
#include <string>

#include "base/text.h"

namespace iiot {

namespace {

// Formats each record with spdlog's pattern and hands it to the Terminal, its text made
// printable first: a log line quotes file names, config values and broker errors.
class TerminalLogSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit TerminalLogSink(Terminal& terminal) : terminal_(terminal) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    const std::string text = text::Printable({msg.payload.data(), msg.payload.size()});
    spdlog::details::log_msg printable = msg;
    printable.payload = text;
    spdlog::memory_buf_t buf;
    formatter_->format(printable, buf);
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
