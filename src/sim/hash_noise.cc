#include "sim/hash_noise.h"

#include <array>
#include <cmath>

#include "sim/rng.h"

namespace iiot {

namespace {

constexpr int kLevels = 4096;

// Φ⁻¹(p) by Newton's method on erfc (a start-up cost of a few hundred microseconds).
double NormalQuantile(double p) {
  double z = 0;
  for (int i = 0; i < 60; ++i) {
    const double cdf = 0.5 * std::erfc(-z / std::sqrt(2.0));
    const double pdf = std::exp(-0.5 * z * z) / std::sqrt(2.0 * 3.14159265358979323846);
    const double step = (cdf - p) / pdf;
    z -= step;
    if (std::fabs(step) < 1e-13) break;
  }
  return z;
}

// float: the table (16 KiB) stays in the L1 cache beside the devices' state.
const std::array<float, kLevels> kQuantiles = [] {
  std::array<double, kLevels> q{};
  for (size_t i = 0; i < q.size(); ++i) {
    q[i] = NormalQuantile((static_cast<double>(i) + 0.5) / kLevels);
  }
  // Rescale so the table itself has variance one (the bins' centres lose a little).
  double sum = 0;
  for (double z : q) sum += z * z;
  const double scale = std::sqrt(kLevels / sum);
  std::array<float, kLevels> out{};
  for (size_t i = 0; i < q.size(); ++i) out[i] = static_cast<float>(q[i] * scale);
  return out;
}();

// Fractional part of x ≥ 0 without a libm call.
double Frac(double x) { return x - static_cast<double>(static_cast<int64_t>(x)); }

// Steps whose continued fractions have small partial quotients (golden ratio and kin),
// so even two to five consecutive members land far apart.
constexpr std::array<double, 12> kWeylSteps = {
    0.6180339887498949,  // φ − 1
    0.4142135623730951,  // √2 − 1
    0.7320508075688772,  // √3 − 1
    0.3819660112501051,  // 2 − φ
    0.5857864376269049,  // 2 − √2
    0.2679491924311228,  // 2 − √3
    0.3660254037844386,  // (√3 − 1) / 2
    0.7071067811865476,  // √2 / 2
    0.6339745962155614,  // (3 − √3) / 2
    0.2928932188134524,  // 1 − √2 / 2
    0.5773502691896258,  // 1 / √3
    0.4226497308103742,  // 1 − 1 / √3
};

}  // namespace

double HashNormal(uint64_t bits) { return kQuantiles[bits >> 52]; }

double BalancedNormal(uint64_t index, double start, int stream) {
  const double step = kWeylSteps[static_cast<size_t>(stream) % kWeylSteps.size()];
  const double u = Frac(start + static_cast<double>(index % (uint64_t{1} << 40)) * step);
  return kQuantiles[std::min(static_cast<size_t>(u * kLevels), size_t{kLevels - 1})];
}

double SmoothNoise(uint64_t key, UnixMillis t, int64_t knot) {
  // Knot k sits at time k·knot; t lies in [k·knot, (k+1)·knot) with fraction u. Doubles,
  // not a 64-bit division: exact enough (t / knot < 2^40 for any date and knot ≥ 1 s).
  const double turns = static_cast<double>(t) / static_cast<double>(knot);
  auto k = static_cast<int64_t>(turns);
  if (static_cast<double>(k) > turns) --k;  // floor for negative times
  const double u = turns - static_cast<double>(k);
  // Quadratic B-spline over knots k-1, k, k+1 (centred on the knot intervals).
  const double w0 = 0.5 * (1 - u) * (1 - u);
  const double w1 = 0.5 + u * (1 - u);
  const double w2 = 0.5 * u * u;
  const auto z = [key](int64_t i) {
    return static_cast<double>(
        kQuantiles[Mix64(key ^ (static_cast<uint64_t>(i) * 0x9e3779b97f4a7c15ULL)) >> 52]);
  };
  const double sum = w0 * z(k - 1) + w1 * z(k) + w2 * z(k + 1);
  return sum / std::sqrt(w0 * w0 + w1 * w1 + w2 * w2);
}

}  // namespace iiot
