// When each device reports: phase offsets that spread a fleet evenly over its interval
// (no burst at start), deterministic jitter, and DueQueue, the per-worker timing wheel of
// next-due times that lets one thread drive millions of devices without a timer each, at
// a cost per report that does not grow with the fleet. All functions are pure; DueQueue is owned by
// one worker (not thread-safe).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "base/huge_pages.h"
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
  DueEntry() = default;
  DueEntry(UnixMillis due_, uint64_t device_, uint32_t slot_, uint64_t k_, uint16_t profile_ = 0)
      : due(due_), device(device_), k(k_), slot(slot_), profile(profile_) {}

  UnixMillis due = 0;
  uint64_t device = 0;
  uint64_t k = 1;        // which report of the device this is (1, 2, 3...)
  uint32_t slot = 0;     // the worker's index of the device
  uint16_t profile = 0;  // the device's profile, carried so the next report needs no lookup

  bool operator<(const DueEntry& o) const { return due != o.due ? due < o.due : device < o.device; }
};
static_assert(sizeof(DueEntry) == 32, "the wheel holds one per device: keep it two to a line");

// The scheduled reports of one worker, taken in (due, device) order: a timing wheel.
// Reports due within the next `kBuckets` buckets of `bucket_ms` each sit unordered in their
// bucket; only the bucket being taken is a heap (a few hundred entries that stay in cache),
// and reports further ahead wait in a heap of their own. So taking one report costs about
// the same for 10,000 devices as for 10,000,000 — a heap over every device costs
// log2(devices) cache misses. A bitmap of the buckets holding reports finds the next one.
//
// SetSpan sizes the buckets for the longest interval (a report is never due more than 1.5
// intervals ahead); any push is correct whatever the span: one due earlier than the
// bucket being taken joins it, one beyond the wheel waits in the far heap. A bucket is a
// list threaded through an array indexed by DueEntry::slot, so a bucket costs no
// allocation: each queued report's slot must be unique (a worker queues one report per
// device), and memory grows only with the highest slot.
// Not thread-safe: owned by one worker.
class DueQueue {
 public:
  static constexpr size_t kBuckets = 1 << 16;

  DueQueue();
  // Buckets wide enough that reports up to 2 × `longest` ahead fit the wheel, and that
  // `reports` reports spread over `longest` fill each with about 16 (fewer, larger buckets
  // for a small fleet: less to step over). A power of two of milliseconds. Only while empty.
  void SetSpan(Millis longest, size_t reports = 0);
  // Room for n reports. When n is over 4 times the reports the buckets were sized for (a
  // fleet grown by hot reload), the wheel is sized again and its reports put back, so
  // that buckets stay small.
  void Reserve(size_t n);
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  // The earliest report; only when !empty().
  const DueEntry& top() const { return current_.front(); }
  void Push(const DueEntry& e);
  DueEntry Pop();
  // Pop, then Push(e).
  void ReplaceTop(const DueEntry& e);
  Millis bucket_width() const { return Millis{int64_t{1} << shift_}; }

 private:
  int64_t SlotOf(UnixMillis due) const;
  // Makes the current bucket's heap hold the earliest reports, when there are any.
  void Refill();
  // Reports of the far heap that now fit the wheel, moved into their buckets.
  void TakeFarInto();
  void PutInBucket(const DueEntry& e, int64_t slot);
  // The first bucket after the one being taken that holds reports; kBuckets if none.
  size_t NextBucket() const;
  // Points the look-ahead at the next bucket holding reports after the one being taken.
  void AimLookAhead();
  // One step along the look-ahead's list: loads the next report's memory into the cache.
  void StepLookAhead();

  int shift_ = 0;   // bucket width: 2^shift_ ms
  Millis span_{1};  // as SetSpan was given
  size_t span_reports_ = 0;
  int64_t now_slot_ = 0;  // the slot (due >> shift_) of the bucket being taken
  size_t size_ = 0;
  static constexpr uint32_t kNone = UINT32_MAX;

  std::vector<DueEntry> current_;  // min-heap: reports with slot <= now_slot_
  // Bucket (time slot & (kBuckets-1)) -> its first report's DueEntry::slot, kNone if none;
  // next_ links the rest. Reports in buckets are kept in reports_[DueEntry::slot].
  std::vector<uint32_t> head_;
  std::vector<uint32_t, HugePageAllocator<uint32_t>> next_;
  std::vector<DueEntry, HugePageAllocator<DueEntry>> reports_;
  std::vector<uint64_t> occupied_;  // bit per bucket: holds reports
  size_t in_buckets_ = 0;
  std::vector<DueEntry> far_;  // min-heap: slots at least kBuckets ahead
  // The next bucket's list, walked one report per Pop while the current bucket is taken,
  // so that its reports are in the cache when their turn comes (a list walked only then
  // costs a cache miss per report). Only a hint: whatever it points at is a valid slot.
  uint32_t ahead_ = kNone;
};

}  // namespace iiot
