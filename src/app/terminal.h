// Terminal: stderr shared by log lines and the one-line status. On a terminal the status
// line is redrawn in place ("\r") and a log line first clears it, then the status is
// drawn again below, so the two never garble each other. Thread-safe (one mutex).
#pragma once

#include <spdlog/sinks/base_sink.h>

#include <memory>
#include <string>

#include "base/mutex.h"

namespace iiot {

class Terminal {
 public:
  // status_enabled: draw the status line (stderr is a terminal and not --quiet).
  explicit Terminal(bool status_enabled) : status_enabled_(status_enabled) {}

  bool status_enabled() const { return status_enabled_; }
  // Replaces the status line (no-op when disabled).
  void SetStatus(const std::string& line);
  // Removes the status line (before the summary).
  void ClearStatus();
  // Writes text (ending in '\n') to stderr above the status line.
  void Write(const std::string& text);

  // An spdlog sink writing through this terminal.
  std::shared_ptr<spdlog::sinks::sink> MakeLogSink();

 private:
  const bool status_enabled_;
  Mutex mu_;
  std::string status_ GUARDED_BY(mu_);
};

}  // namespace iiot
