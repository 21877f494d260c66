#include "sim/schedule.h"

#include <cassert>
#include <climits>
#include <cmath>

#include "sim/rng.h"

namespace iiot {

UnixMillis PhaseOffset(uint64_t device, Millis interval) {
  // frac(device × (φ − 1)) in 0.64 fixed point: exact, no floating drift for large ids.
  constexpr uint64_t kGoldenFraction = 0x9e3779b97f4a7c15ULL;
  const uint64_t frac = device * kGoldenFraction;
  const auto span = static_cast<unsigned __int128>(static_cast<uint64_t>(interval.count()));
  return static_cast<UnixMillis>((span * frac) >> 64);
}

UnixMillis JitterOffset(uint64_t seed, uint64_t device, uint64_t k, double jitter,
                        Millis interval) {
  if (jitter <= 0) return 0;
  const uint64_t bits = Mix64(Mix64(seed ^ 0x6a09e667f3bcc909ULL) ^ Mix64(device) ^ k);
  const double u = ToUnit(bits) * 2.0 - 1.0;  // [-1, 1)
  return static_cast<UnixMillis>(std::llround(u * jitter * static_cast<double>(interval.count())));
}

UnixMillis DueTime(UnixMillis start, uint64_t seed, uint64_t device, uint64_t k, Millis interval,
                   double jitter) {
  const UnixMillis t = start + PhaseOffset(device, interval) +
                       static_cast<UnixMillis>(k - 1) * interval.count() +
                       JitterOffset(seed, device, k, jitter, interval);
  return t < start ? start : t;  // a negative jitter never reports before the run starts
}

namespace {

// std::*_heap keep the greatest on top; reports are taken earliest first.
// A function object rather than a function, so the heap algorithms inline the comparison.
constexpr auto Later = [](const DueEntry& a, const DueEntry& b) { return b < a; };

constexpr size_t kMask = DueQueue::kBuckets - 1;

}  // namespace

DueQueue::DueQueue() : head_(kBuckets, kNone), occupied_(kBuckets / 64, 0) {}

void DueQueue::Reserve(size_t n) {
  if (span_reports_ > 0 && n > 4 * span_reports_ && !empty()) {
    std::vector<DueEntry> all;
    all.reserve(size_);
    while (!empty()) all.push_back(Pop());
    SetSpan(span_, n);
    for (const DueEntry& e : all) Push(e);
  } else if (span_reports_ > 0 && n > 4 * span_reports_) {
    SetSpan(span_, n);
  }
  current_.reserve(std::min<size_t>(n, 16384));
  if (n > reports_.size()) {
    reports_.resize(n);
    next_.resize(n, kNone);
  }
}

void DueQueue::SetSpan(Millis longest, size_t reports) {
  assert(empty());
  span_ = longest;
  span_reports_ = reports;
  const int64_t span = std::max<int64_t>(1, longest.count());
  // 2 × span over the wheel, and span / reports × 16 per bucket.
  int64_t width = (2 * span + static_cast<int64_t>(kBuckets) - 1) / static_cast<int64_t>(kBuckets);
  if (reports > 0) width = std::max(width, 16 * span / static_cast<int64_t>(reports));
  shift_ = 0;
  while ((int64_t{1} << shift_) < width && shift_ < 40) ++shift_;
}

int64_t DueQueue::SlotOf(UnixMillis due) const {
  return due >> shift_;  // arithmetic: floors dues before 1970 too
}

void DueQueue::PutInBucket(const DueEntry& e, int64_t slot) {
  const size_t i = static_cast<size_t>(slot) & kMask;
  assert(e.slot != kNone);
  if (e.slot >= reports_.size()) {
    const size_t n = std::max<size_t>(size_t{e.slot} + 1, 2 * reports_.size());
    reports_.resize(n);
    next_.resize(n, kNone);
  }
  reports_[e.slot] = e;
  next_[e.slot] = head_[i];
  head_[i] = e.slot;
  occupied_[i / 64] |= uint64_t{1} << (i % 64);
  ++in_buckets_;
}

void DueQueue::Push(const DueEntry& e) {
  ++size_;
  if (size_ == 1) now_slot_ = SlotOf(e.due);  // an empty wheel starts where its first report is
  const int64_t slot = SlotOf(e.due);
  if (slot <= now_slot_) {
    current_.push_back(e);
    std::push_heap(current_.begin(), current_.end(), Later);
  } else if (slot - now_slot_ < static_cast<int64_t>(kBuckets)) {
    PutInBucket(e, slot);
  } else {
    far_.push_back(e);
    std::push_heap(far_.begin(), far_.end(), Later);
  }
  assert(!current_.empty());  // the first report of an empty wheel goes to current_
}

DueEntry DueQueue::Pop() {
  std::pop_heap(current_.begin(), current_.end(), Later);
  const DueEntry top = current_.back();
  current_.pop_back();
  --size_;
  if (current_.empty()) {
    Refill();
  } else {
    StepLookAhead();
  }
  return top;
}

size_t DueQueue::NextBucket() const {
  if (in_buckets_ == 0) return kBuckets;
  const size_t start = (static_cast<size_t>(now_slot_) + 1) & kMask;
  for (size_t n = 0; n <= kBuckets / 64; ++n) {
    const size_t word = (start / 64 + n) % (kBuckets / 64);
    uint64_t bits = occupied_[word];
    if (n == 0) bits &= ~uint64_t{0} << (start % 64);  // from `start` on
    if (bits == 0) continue;
    return word * 64 + static_cast<size_t>(__builtin_ctzll(bits));
  }
  return kBuckets;
}

void DueQueue::AimLookAhead() {
  const size_t i = NextBucket();
  ahead_ = i == kBuckets ? kNone : head_[i];
  if (ahead_ != kNone) {
    __builtin_prefetch(&next_[ahead_]);
    __builtin_prefetch(&reports_[ahead_]);
  }
}

void DueQueue::StepLookAhead() {
  if (ahead_ == kNone) return;
  ahead_ = next_[ahead_];  // loaded into the cache by the step before
  if (ahead_ != kNone) {
    __builtin_prefetch(&next_[ahead_]);
    __builtin_prefetch(&reports_[ahead_]);
  }
}

void DueQueue::ReplaceTop(const DueEntry& e) {
  Pop();
  Push(e);
}

void DueQueue::Refill() {
  while (current_.empty() && size_ > 0) {
    // The next occupied bucket ahead of now_slot_, circularly, as a slot number.
    int64_t next = INT64_MAX;
    if (const size_t i = NextBucket(); i != kBuckets) {
      const size_t start = (static_cast<size_t>(now_slot_) + 1) & kMask;
      next = now_slot_ + 1 + static_cast<int64_t>((i - start) & kMask);
    }
    if (!far_.empty()) next = std::min(next, SlotOf(far_.front().due));
    now_slot_ = next;
    const size_t i = static_cast<size_t>(next) & kMask;
    if (in_buckets_ > 0 && (occupied_[i / 64] >> (i % 64) & 1) != 0) {
      for (uint32_t s = head_[i]; s != kNone; s = next_[s]) {
        current_.push_back(reports_[s]);
        --in_buckets_;
      }
      head_[i] = kNone;
      occupied_[i / 64] &= ~(uint64_t{1} << (i % 64));
    }
    TakeFarInto();
    std::make_heap(current_.begin(), current_.end(), Later);
  }
  AimLookAhead();
}

void DueQueue::TakeFarInto() {
  while (!far_.empty()) {
    const int64_t slot = SlotOf(far_.front().due);
    if (slot - now_slot_ >= static_cast<int64_t>(kBuckets)) return;
    std::pop_heap(far_.begin(), far_.end(), Later);
    const DueEntry e = far_.back();
    far_.pop_back();
    if (slot <= now_slot_) {
      current_.push_back(e);  // made a heap by the caller
    } else {
      PutInBucket(e, slot);
    }
  }
}

}  // namespace iiot
