#include "sim/rng.h"

#include <cmath>

namespace iiot {

namespace {

constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

constexpr uint64_t RotateLeft(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Rng::Rng(uint64_t seed, uint64_t stream) {
  // One key per (seed, stream); the state is the splitmix64 sequence from that key, the
  // seeding xoshiro's authors recommend.
  const uint64_t key = Mix64(Mix64(seed) ^ Mix64(stream ^ 0x632be59bd9b4e019ULL));
  for (int i = 0; i < 4; ++i) s_[i] = Mix64(key + static_cast<uint64_t>(i) * kGolden);
  if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;  // the one state xoshiro cannot leave
}

uint64_t Rng::Next() {
  const uint64_t result = RotateLeft(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = RotateLeft(s_[3], 45);
  return result;
}

uint32_t Rng::Below(uint32_t n) {
  if (n == 0) return 0;
  // Lemire's multiply-shift with rejection: exactly uniform.
  uint64_t m = (Next() >> 32) * n;
  auto low = static_cast<uint32_t>(m);
  if (low < n) {
    const uint32_t threshold = static_cast<uint32_t>(-n) % n;
    while (low < threshold) {
      m = (Next() >> 32) * n;
      low = static_cast<uint32_t>(m);
    }
  }
  return static_cast<uint32_t>(m >> 32);
}

double Rng::Normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  // Marsaglia's polar method: two independent normals per accepted pair; keep one.
  double u, v, s;
  do {
    u = 2.0 * Uniform() - 1.0;
    v = 2.0 * Uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double scale = std::sqrt(-2.0 * std::log(s) / s);
  spare_ = v * scale;
  has_spare_ = true;
  return u * scale;
}

}  // namespace iiot
