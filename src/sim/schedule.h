// When each device reports: phase offsets that spread a fleet evenly over its interval
// (no burst at start), deterministic jitter, and DueQueue, the per-worker min-heap of
// next-due times that lets one thread drive hundreds of thousands of devices without a
// timer each. All functions are pure; DueQueue is owned by one worker (not thread-safe).
#pragma once

#include <cstdint>
#include <vector>

#include "config/config.h"

namespace iiot {

// Offset of a device's first report within its interval, in [0, interval): the device
// number times the golden ratio, modulo 1 — a low-discrepancy sequence, so any run of
// consecutive devices covers the interval evenly.
UnixMillis PhaseOffset(uint64_t device, Millis interval);

// Deterministic jitter of a device's k-th report (k >= 1): uniform in
// ±jitter × interval, derived statelessly from (seed, device, k). 0 when jitter is 0.
UnixMillis JitterOffset(uint64_t seed, uint64_t device, uint64_t k, double jitter, Millis interval);

// Time of a device's k-th report (k >= 1) for a run whose clock starts at `start`:
// start + phase + (k-1) × interval + jitter(k), never before start. Exact integer
// milliseconds; non-decreasing in k while jitter <= 0.5.
UnixMillis DueTime(UnixMillis start, uint64_t seed, uint64_t device, uint64_t k, Millis interval,
                   double jitter);

// One scheduled report: ordered by time, then device number, which is the run's global
// order (and the order --count cuts in).
struct DueEntry {
  UnixMillis due = 0;
  uint64_t device = 0;
  uint32_t slot = 0;  // the worker's index of the device
  uint64_t k = 1;     // which report of the device this is (1, 2, 3...)

  bool operator<(const DueEntry& o) const { return due != o.due ? due < o.due : device < o.device; }
};

// A binary min-heap of DueEntry. Not thread-safe.
class DueQueue {
 public:
  void Reserve(size_t n) { heap_.reserve(n); }
  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }
  const DueEntry& top() const { return heap_.front(); }
  void Push(const DueEntry& e);
  DueEntry Pop();
  // Replaces the top with e (one sift instead of pop + push).
  void ReplaceTop(const DueEntry& e);

 private:
  void SiftDown(size_t i);
  std::vector<DueEntry> heap_;
};

}  // namespace iiot
