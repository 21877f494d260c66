// LogLimiter: keeps a repeated log line from flooding the log. Each distinct line passes
// `burst` times per `window`; further copies are counted, and the next copy after the window
// passes with a note of how many were left out ("(… 1,234 more in the last 10 s)").
// Drain gives the notes of lines still being held back (at shutdown). Thread-safe.
//
// Example:
//   static LogLimiter limiter;
//   if (auto line = limiter.Admit(text)) spdlog::error("{}", *line);
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/mutex.h"

namespace iiot {

class LogLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit LogLimiter(int burst = 5, std::chrono::seconds window = std::chrono::seconds(10))
      : burst_(burst), window_(window) {}

  // The line to log now (maybe with the count of copies left out before it), or nullopt
  // to leave this copy out.
  std::optional<std::string> Admit(std::string_view line, Clock::time_point now = Clock::now());

  // "<line> (… N more in the last S s)" for each line with copies left out, and forgets them.
  std::vector<std::string> Drain();

 private:
  struct Seen {
    Clock::time_point window_start;
    int passed = 0;
    uint64_t left_out = 0;
  };

  const int burst_;
  const std::chrono::seconds window_;
  Mutex mu_;
  std::unordered_map<std::string, Seen> seen_ GUARDED_BY(mu_);  // bounded: see Admit
};

}  // namespace iiot
