#include "sim/schedule.h"

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

void DueQueue::Push(const DueEntry& e) {
  heap_.push_back(e);
  size_t i = heap_.size() - 1;
  while (i > 0) {
    const size_t parent = (i - 1) / 2;
    if (!(heap_[i] < heap_[parent])) break;
    std::swap(heap_[i], heap_[parent]);
    i = parent;
  }
}

DueEntry DueQueue::Pop() {
  DueEntry top = heap_.front();
  heap_.front() = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) SiftDown(0);
  return top;
}

void DueQueue::ReplaceTop(const DueEntry& e) {
  heap_.front() = e;
  SiftDown(0);
}

void DueQueue::SiftDown(size_t i) {
  const size_t n = heap_.size();
  for (;;) {
    const size_t l = 2 * i + 1;
    if (l >= n) return;
    size_t m = l;
    if (l + 1 < n && heap_[l + 1] < heap_[l]) m = l + 1;
    if (!(heap_[m] < heap_[i])) return;
    std::swap(heap_[i], heap_[m]);
    i = m;
  }
}

}  // namespace iiot
