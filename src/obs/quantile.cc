#include "obs/quantile.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace iiot {

double Quantile(const HistogramCounts& now, const HistogramCounts& before, double q) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (std::isnan(q)) return kNaN;
  if (q < 0) return -std::numeric_limits<double>::infinity();
  if (q > 1) return std::numeric_limits<double>::infinity();
  const size_t n = now.upper_bounds.size();
  if (n < 2 || now.cumulative.size() != n || !std::isinf(now.upper_bounds.back())) return kNaN;
  const bool since_start = before.cumulative.empty();
  if (!since_start && before.cumulative.size() != n) return kNaN;

  // Cumulative counts of the interval, kept monotonic as histogram_quantile does.
  std::vector<double> counts(n);
  double running = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t b = since_start ? 0 : before.cumulative[i];
    const double c = now.cumulative[i] > b ? static_cast<double>(now.cumulative[i] - b) : 0.0;
    running = std::max(running, c);
    counts[i] = running;
  }
  const double observations = counts.back();
  if (observations == 0) return kNaN;

  double rank = q * observations;
  const size_t b = static_cast<size_t>(std::lower_bound(counts.begin(), counts.end() - 1, rank) -
                                       counts.begin());
  if (b == n - 1) return now.upper_bounds[n - 2];
  if (b == 0 && now.upper_bounds[0] <= 0) return now.upper_bounds[0];
  double start = 0;
  double in_bucket = counts[b];
  if (b > 0) {
    start = now.upper_bounds[b - 1];
    in_bucket -= counts[b - 1];
    rank -= counts[b - 1];
  }
  if (in_bucket <= 0) return start;
  return start + (now.upper_bounds[b] - start) * (rank / in_bucket);
}

}  // namespace iiot
