#include "sim/soft_range.h"

#include <algorithm>
#include <cmath>

namespace iiot {

namespace {

// E[f(X)] and the σ of f(X) for X ~ N(mean, stddev²), by the trapezoid rule over ±8σ.
template <typename Fn>
void GaussianMoments(double mean, double stddev, Fn&& f, double* out_mean, double* out_stddev) {
  constexpr int kSteps = 1600;
  constexpr double kSpan = 8.0;
  double w_sum = 0, m1 = 0, m2 = 0;
  for (int i = 0; i <= kSteps; ++i) {
    const double z = -kSpan + 2 * kSpan * i / kSteps;
    const double w = std::exp(-0.5 * z * z) * ((i == 0 || i == kSteps) ? 0.5 : 1.0);
    const double y = f(mean + stddev * z);
    w_sum += w;
    m1 += w * y;
    m2 += w * y * y;
  }
  *out_mean = m1 / w_sum;
  *out_stddev = std::sqrt(std::max(0.0, m2 / w_sum - (*out_mean) * (*out_mean)));
}

}  // namespace

double SoftRange::Apply(double x) const {
  const double top = hi - width, bottom = lo + width;
  if (x > top) return hi - width * std::exp(-(x - top) / width);
  if (x < bottom) return lo + width * std::exp((x - bottom) / width);
  return x;
}

FittedRange FitSoftRange(double mean, double stddev, double lo, double hi) {
  FittedRange fit;
  fit.range = {lo, hi, std::max(1e-9, std::min(stddev, (hi - lo) / 4))};
  double m = mean, s = stddev;
  double got_mean = 0, got_stddev = 0;
  const auto apply = [&fit](double x) { return fit.range.Apply(x); };
  for (int i = 0; i < 200; ++i) {
    GaussianMoments(m, s, apply, &got_mean, &got_stddev);
    if (std::fabs(got_mean - mean) < 1e-6 * stddev &&
        std::fabs(got_stddev - stddev) < 1e-6 * stddev) {
      break;
    }
    m += mean - got_mean;
    // Widening the input gains less and less once the output fills the range: stop
    // growing at 50 σ (the range is then too narrow for σ; the output is as wide as it gets).
    s = std::min(s * stddev / std::max(got_stddev, 1e-12), 50 * stddev);
  }
  GaussianMoments(m, s, apply, &got_mean, &got_stddev);
  fit.input_mean = m;
  fit.input_stddev = s;
  fit.output_mean = got_mean;
  fit.output_stddev = got_stddev;
  return fit;
}

}  // namespace iiot
