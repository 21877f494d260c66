#include "obs/histogram_observer.h"

#include <algorithm>

namespace iiot {

void HistogramObserver::ObserveMany(std::span<const int64_t> latencies_ns) noexcept {
  if (latencies_ns.empty()) return;
  // One per thread, reused: no allocation per batch once a thread has made its first.
  thread_local std::vector<double> increments;
  increments.assign(buckets_.size() + 1, 0.0);  // the last one is +Inf
  double sum = 0;
  for (const int64_t ns : latencies_ns) {
    const double s = Seconds(ns);
    // The histogram's rule: the first bucket whose upper bound is >= the value.
    const auto at = std::lower_bound(buckets_.begin(), buckets_.end(), s) - buckets_.begin();
    increments[static_cast<size_t>(at)] += 1;
    sum += s;
  }
  histogram_.ObserveMultiple(increments, sum);
}

}  // namespace iiot
