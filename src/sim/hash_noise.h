// Stateless Gaussian noise: a standard normal value as a pure function of a 64-bit key
// (HashNormal), and a smooth standard-normal process as a pure function of (key, time)
// (SmoothNoise). They carry the shared parts of the plant (weather, room climate, line
// load) and each device's fixed offsets: any thread, shard or restart that asks for the
// same key and time gets the same value, and nothing is stored. Pure functions; thread-safe.
//
// Example:
//   double offset = BalancedNormal(device, ToUnit(scope_key), 0);  // fixed per device
//   double front = SmoothNoise(site_key, t, 12 * kMillisPerHour);  // changes over ~12 h
#pragma once

#include <cstdint>

#include "config/config.h"

namespace iiot {

// N(0, 1) from 64 hash bits: the normal quantile of the top 12 bits' bin centre (4,096
// levels, |z| < 3.7), from a table. Mix the key first (Mix64) when it is not yet random.
double HashNormal(uint64_t bits);

// N(0, 1) for the index-th member of a scope (a device, a room, a building), spread evenly:
// the quantiles of a Weyl sequence u = frac(start + index·step) with a badly approximable
// step (φ − 1, √2 − 1, ... by `stream`, 0..11) and start in [0, 1) (ToUnit of a key). Any run of
// consecutive indices covers the normal's quantiles about evenly, so the mean over a few
// buildings or a few hundred rooms is near 0 whatever the seed, while one member's value
// still looks drawn at random.
double BalancedNormal(uint64_t index, double start, int stream);

// A process with an exact N(0, 1) marginal at every t, continuous with a continuous slope:
// knots every `knot` ms carry independent HashNormal values, blended by the quadratic
// B-spline weights of the three nearest, scaled so their squares sum to one. Two values
// `knot` apart correlate about 0.5; three knots apart, not at all.
double SmoothNoise(uint64_t key, UnixMillis t, int64_t knot);

}  // namespace iiot
