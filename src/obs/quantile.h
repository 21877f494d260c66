// Quantiles from Prometheus-style cumulative histogram buckets, for the app's own
// summaries and alerts (the same estimate PromQL's histogram_quantile gives).
//
// Example:
//   HistogramCounts before = metrics.DeliveryLatencyCounts();
//   ...                                        // a minute later
//   double p95 = Quantile(metrics.DeliveryLatencyCounts(), before, 0.95);
#pragma once

#include <cstdint>
#include <vector>

namespace iiot {

// A histogram's state at one moment. Plain data.
struct HistogramCounts {
  std::vector<double> upper_bounds;  // ascending; the last is +Inf
  std::vector<uint64_t> cumulative;  // observations <= upper_bounds[i]
  double sum = 0;                    // of all observed values
  uint64_t count() const { return cumulative.empty() ? 0 : cumulative.back(); }
};

// The q-quantile (0 <= q <= 1) of the observations made between two snapshots of one
// histogram (`before` may be empty: since the start), with histogram_quantile's rules:
// linear interpolation inside the bucket holding the rank (the first bucket starts at 0
// when its bound is positive), the last finite bound when the rank falls in the +Inf
// bucket. NaN when there were no observations or the snapshots do not match; -Inf/+Inf
// for q below 0/above 1. A bucket whose count went down counts as 0.
double Quantile(const HistogramCounts& now, const HistogramCounts& before, double q);

}  // namespace iiot
