#include "base/log_limiter.h"

namespace iiot {

namespace {

// Distinct lines remembered at most; past it the table starts again (a flood of ever
// different lines is not what this guards against, and memory stays bounded).
constexpr size_t kMaxLines = 1024;

std::string WithNote(std::string_view line, uint64_t left_out, std::chrono::seconds window) {
  return std::string(line) + " (... " + std::to_string(left_out) + " more in the last " +
         std::to_string(window.count()) + " s)";
}

}  // namespace

std::optional<std::string> LogLimiter::Admit(std::string_view line, Clock::time_point now) {
  MutexLock lock(&mu_);
  if (seen_.size() >= kMaxLines && seen_.find(std::string(line)) == seen_.end()) seen_.clear();
  Seen& s = seen_[std::string(line)];
  if (s.passed == 0 || now - s.window_start >= window_) {
    const uint64_t left_out = s.left_out;
    s = Seen{now, 1, 0};
    if (left_out > 0) return WithNote(line, left_out, window_);
    return std::string(line);
  }
  if (s.passed < burst_) {
    ++s.passed;
    return std::string(line);
  }
  ++s.left_out;
  return std::nullopt;
}

std::vector<std::string> LogLimiter::Drain() {
  MutexLock lock(&mu_);
  std::vector<std::string> notes;
  for (const auto& [line, s] : seen_) {
    if (s.left_out > 0) notes.push_back(WithNote(line, s.left_out, window_));
  }
  seen_.clear();
  return notes;
}

}  // namespace iiot
