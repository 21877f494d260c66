#include "sink/sink.h"

namespace iiot {

const char* Name(FailureCause c) {
  switch (c) {
    case FailureCause::kTimedOut:
      return "timed_out";
    case FailureCause::kPossiblyPersisted:
      return "possibly_persisted";
    case FailureCause::kBrokerError:
      return "broker_error";
    case FailureCause::kFatal:
      return "fatal";
    case FailureCause::kPurged:
      return "purged";
    case FailureCause::kIo:
      return "io";
  }
  return "?";
}

uint64_t DeliveryCounters::FailedTotal() const {
  uint64_t total = 0;
  for (const auto& f : failed) total += f.load(std::memory_order_relaxed);
  return total;
}

uint64_t DeliveryCounters::InFlight() const {
  // Read the outcomes first: produced only grows, so a late read of it never makes the
  // difference negative through this thread's own ordering.
  const uint64_t done = delivered.load(std::memory_order_relaxed) + FailedTotal();
  const uint64_t accepted = produced.load(std::memory_order_relaxed);
  return accepted > done ? accepted - done : 0;
}

void DeliveryCounters::CountFailure(FailureCause cause, std::string_view why, uint64_t n) {
  const auto i = static_cast<size_t>(cause);
  {
    MutexLock lock(&last_error_mu_);
    if (last_error_[i] != why) last_error_[i].assign(why);
  }
  failed[i].fetch_add(n, std::memory_order_relaxed);
}

std::string DeliveryCounters::LastError(FailureCause cause) const {
  MutexLock lock(&last_error_mu_);
  return last_error_[static_cast<size_t>(cause)];
}

}  // namespace iiot
