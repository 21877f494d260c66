// Rng: a small, fast, seedable random generator (xoshiro256**) with the draws the sensor
// models need. Each device owns one, seeded from (run seed, device number), so a device's
// stream never depends on which thread runs it. Not thread-safe: one owner.
#pragma once

#include <cstdint>

namespace iiot {

// splitmix64 finaliser: a good 64-bit mix, also used to derive seeds and stateless draws.
constexpr uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Uniform double in [0, 1) from 64 random bits.
constexpr double ToUnit(uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }

class Rng {
 public:
  Rng() : Rng(0, 0) {}
  // Stream for (seed, stream), e.g. (run seed, device number).
  Rng(uint64_t seed, uint64_t stream);

  uint64_t Next();
  double Uniform() { return ToUnit(Next()); }  // [0, 1)
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  bool Bernoulli(double p) { return Uniform() < p; }
  uint32_t Below(uint32_t n);  // [0, n)
  double Normal();             // N(0, 1)

 private:
  uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace iiot
