// SoftRange: how a sensor type's values stay inside its normal range without being clamped.
// Inside [lo + width, hi - width] a value passes unchanged; beyond, it approaches lo or hi
// exponentially (continuous, with a continuous slope), so no normal reading ever sits on a
// bound or crosses into the anomaly band, and none piles up at one value. FitSoftRange
// finds the Gaussian input whose limited output has a given mean and σ: the fleet's μ and
// σ of the config describe what is emitted, even when the range is narrow for them
// (pressure: 1013 ± 20 hPa below a 1040 hPa band). Plain values; thread-safe.
#pragma once

namespace iiot {

struct SoftRange {
  double lo = 0;
  double hi = 0;
  double width = 1;  // > 0; ≤ (hi - lo) / 2

  double Apply(double x) const;
};

// The Gaussian input N(input_mean, input_stddev²) whose SoftRange output has the target
// mean and σ, as near as the range allows (a σ too wide for the range is narrowed).
struct FittedRange {
  SoftRange range;
  double input_mean = 0;
  double input_stddev = 0;
  double output_mean = 0;  // what the fit reached
  double output_stddev = 0;
};

// lo < hi; stddev > 0. The knee width is min(stddev, (hi - lo) / 4).
FittedRange FitSoftRange(double mean, double stddev, double lo, double hi);

}  // namespace iiot
